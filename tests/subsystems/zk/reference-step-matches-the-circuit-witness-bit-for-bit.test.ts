import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { circuitKey } from '../../../src/subsystems/zk/artifacts/compile.js';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { fromField } from '../../../src/subsystems/zk/fixed-point.js';
import { computeWitness } from '../../../src/subsystems/zk/snark/prove.js';
import { loadSnarkjs, releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../../src/subsystems/zk/step.js';
import { randomStep, TEST_KEYS_DIR, TEST_SHAPE, testKeys } from './fixtures.js';

after(releaseSnarkjs);

/** Signal name → witness index, for the signals the optimiser kept (the .sym file: label, index, component, name). */
function symbols(symPath: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of readFileSync(symPath, 'utf8').split('\n')) {
    const [, idx, , name] = line.split(',');
    if (name !== undefined && Number(idx) >= 0) m.set(name, Number(idx));
  }
  return m;
}

test('every intermediate the circuit keeps equals the BigInt reference, on random steps with negative values', async () => {
  const keys = await testKeys();
  const hasher = await loadHasher();
  const snarkjs = await loadSnarkjs();
  const sym = symbols(keys.circuit.sym);
  const { d, batch } = TEST_SHAPE;
  let compared = 0;
  for (const seed of [1, 2, 3, 4]) {
    const data = randomStep(TEST_SHAPE, seed);
    const step = prepareStep({ shape: TEST_SHAPE, hasher, data, saltOld: freshSalt(), saltNew: freshSalt() });
    const witness = await snarkjs.wtns.exportJson(await computeWitness(keys, step.input));
    const expected = new Map<string, bigint>();
    for (let i = 0; i < batch; i++) {
      expected.set(`main.e[${i}]`, step.trace.pred[i] - data.y[i]);
      expected.set(`main.pred[${i}].q`, step.trace.pred[i]);
    }
    for (let j = 0; j <= d; j++) {
      expected.set(`main.wNew[${j}]`, step.trace.wNew[j]);
      expected.set(`main.grad[${j}].q`, step.trace.grad[j]);
      expected.set(`main.update[${j}]`, data.lr * step.trace.grad[j]);
      expected.set(`main.step[${j}].q`, step.trace.step[j]);
    }
    for (const [name, value] of expected) {
      const idx = sym.get(name);
      if (idx === undefined) continue;
      assert.equal(fromField(witness[idx], hasher.p), value, `${name} (seed ${seed})`);
      compared++;
    }
    for (const [name, value] of Object.entries({ cOld: step.pub.cOld, cNew: step.pub.cNew, cBatch: step.pub.cBatch })) {
      assert.equal(witness[sym.get(`main.${name}`) ?? -1], value, `${name}: circomlibjs Poseidon = circuit Poseidon (seed ${seed})`);
    }
    assert.ok(step.trace.wNew.some((v, j) => v !== data.w[j]), 'the step moved the weights');
  }
  for (const name of ['main.e[0]', 'main.grad[0].q', 'main.update[0]', 'main.wNew[0]']) assert.ok(sym.has(name), `the witness keeps ${name}`);
  assert.ok(compared >= 4 * 11, `compared ${compared} values`);
});

test('the committed test circuit and keys are those of the current circuit source', () => {
  const key = circuitKey(TEST_SHAPE);
  assert.ok(existsSync(join(TEST_KEYS_DIR, key)), `tests/subsystems/zk/fixtures/keys lacks ${key}: rerun node dist/scripts/zk/make-test-keys.js and commit it`);
});
