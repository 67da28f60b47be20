/**
 * The model that is trained is the model that is proved: for each step circuit (linear, logistic, LoRA), every
 * intermediate the compiled circuit keeps equals the BigInt reference's value of the same name, on random steps with
 * negative values, and the commitments circomlibjs computes are the circuit's.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { circuitKey } from '../../../src/subsystems/zk/artifacts/compile.js';
import type { CircuitShape } from '../../../src/subsystems/zk/circuit/shapes.js';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { fromField } from '../../../src/subsystems/zk/fixed-point.js';
import { computeWitness } from '../../../src/subsystems/zk/snark/prove.js';
import { loadSnarkjs, releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../../src/subsystems/zk/step.js';
import { FIXTURE_CIRCUITS, randomStep, TEST_KEYS_DIR, TEST_LOGISTIC, TEST_LORA, TEST_SHAPE, testKeys } from './fixtures.js';

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

async function compare(shape: CircuitShape, seeds: readonly number[], mustKeep: readonly string[]): Promise<{ compared: number; moved: boolean; scores: bigint[] }> {
  const keys = await testKeys(shape);
  const hasher = await loadHasher();
  const snarkjs = await loadSnarkjs();
  const sym = symbols(keys.circuit.sym);
  for (const name of mustKeep) assert.ok(sym.has(name), `the witness keeps ${name}`);
  let compared = 0;
  let moved = false;
  const scores: bigint[] = [];
  for (const seed of seeds) {
    const data = randomStep(shape, seed, hasher);
    const step = prepareStep({ ...data, hasher, saltOld: freshSalt(), saltNew: freshSalt() });
    const witness = await snarkjs.wtns.exportJson(await computeWitness(keys, step.input));
    for (const [name, value] of step.trace.signals) {
      if (name.startsWith('main.score.z[')) scores.push(value);
      const idx = sym.get(name);
      if (idx === undefined) continue;
      assert.equal(fromField(witness[idx], hasher.p), value, `${name} (seed ${seed})`);
      compared++;
    }
    for (const [name, value] of Object.entries(step.pub)) {
      assert.equal(witness[sym.get(`main.${name}`) ?? -1], value, `${name}: circomlibjs Poseidon = circuit Poseidon (seed ${seed})`);
    }
    moved ||= step.trace.next.some((v, j) => v !== data.params[j]);
  }
  return { compared, moved, scores };
}

test('linear: every intermediate the circuit keeps equals the BigInt reference', async () => {
  const r = await compare(TEST_SHAPE, [1, 2, 3, 4], ['main.e[0]', 'main.sgd.grad[0].q', 'main.sgd.update[0]']);
  assert.ok(r.moved, 'the steps moved the weights');
  assert.ok(r.compared >= 4 * 8, `compared ${r.compared} values`);
});

test('logistic: the clamped cubic sigmoid and the step equal the BigInt reference, scores beyond ±3 included', async () => {
  const r = await compare(TEST_LOGISTIC, [5, 6, 7, 8, 9, 10], ['main.e[0]', 'main.score.z[0]', 'main.sigmoid[0].z2.q', 'main.sigmoid[0].cube.q', 'main.sgd.grad[0].q']);
  assert.ok(r.moved);
  assert.ok(r.compared >= 6 * 14, `compared ${r.compared} values`);
  const three = 3n << BigInt(TEST_LOGISTIC.fracBits);
  assert.ok(r.scores.some((z) => z > three || z < -three) && r.scores.some((z) => z > -three && z < three), 'scores on both sides of the clamp');
});

test('LoRA: projections, adapter gradients and updates equal the BigInt reference', async () => {
  const r = await compare(TEST_LORA, [11, 12, 13, 14], ['main.e[0]', 'main.u[0][0].q', 'main.gc[0].q', 'main.gA[0][0].q', 'main.thetaNew[0]']);
  assert.ok(r.moved, 'the steps moved the adapters');
  assert.ok(r.compared >= 4 * 12, `compared ${r.compared} values`);
});

test('the committed test circuits and keys are those of the current circuit sources', () => {
  for (const [shape, system] of FIXTURE_CIRCUITS) {
    const key = circuitKey(shape, system === 'plonk' ? 'O1' : 'O2');
    assert.ok(existsSync(join(TEST_KEYS_DIR, key)), `tests/subsystems/zk/fixtures/keys lacks ${key}: rerun node dist/scripts/zk/make-test-keys.js and commit it`);
  }
});
