/**
 * The logistic and LoRA circuits against a cheating trainer, with the real circuit and verifier: a valid step proves
 * and verifies; an update one unit in the last place off (with a commitment matching the claim) fails witness
 * generation; for LoRA, a proof checked against another base commitment fails, and an update that moved the frozen
 * base cannot be proved at all.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CircuitShape } from '../../../src/subsystems/zk/circuit/shapes.js';
import { loadHasher, weightCommitment } from '../../../src/subsystems/zk/commitments.js';
import { WitnessError } from '../../../src/subsystems/zk/errors.js';
import { loraModel } from '../../../src/subsystems/zk/model.js';
import { computeWitness, proveStep, verifyStep } from '../../../src/subsystems/zk/snark/prove.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../../src/subsystems/zk/step.js';
import { randomStep, TEST_LOGISTIC, TEST_LORA, testKeys } from './fixtures.js';

after(releaseSnarkjs);

async function honestAndOneUlpOff(shape: CircuitShape, seed: number, index: number) {
  const hasher = await loadHasher();
  const data = randomStep(shape, seed, hasher);
  const salts = { saltOld: freshSalt(), saltNew: freshSalt() };
  const honest = prepareStep({ ...data, hasher, ...salts });
  const claimed = honest.trace.next.map((v, k) => (k === index ? v + 1n : v));
  const forged = prepareStep({ ...data, hasher, ...salts, claimedNew: claimed });
  assert.equal(forged.pub.cNew, weightCommitment(hasher, claimed, salts.saltNew), 'the commitment matches the claim');
  return { hasher, data, honest, forged };
}

test('logistic: a valid step proves and verifies; the bias one ulp off fails witness generation', async () => {
  const keys = await testKeys(TEST_LOGISTIC);
  const { honest, forged } = await honestAndOneUlpOff(TEST_LOGISTIC, 21, TEST_LOGISTIC.d);
  const p = await proveStep(keys, honest.input);
  assert.equal(await verifyStep(keys.vkey, p.publicSignals, p.proof), true);
  await assert.rejects(computeWitness(keys, forged.input), (e: unknown) => e instanceof WitnessError && /SgdFullStep/.test(e.template ?? ''));
});

test('LoRA: a valid step proves and verifies; an adapter one ulp off fails; another base commitment fails verification', async () => {
  const keys = await testKeys(TEST_LORA);
  // Index rank·d is c[0], the up-projection; index 0 is A[0][0].
  for (const index of [TEST_LORA.rank * TEST_LORA.d, 0]) {
    const { forged } = await honestAndOneUlpOff(TEST_LORA, 22 + index, index);
    await assert.rejects(computeWitness(keys, forged.input), (e: unknown) => e instanceof WitnessError && /LoraStep/.test(e.template ?? ''));
  }
  const { honest } = await honestAndOneUlpOff(TEST_LORA, 30, 0);
  const p = await proveStep(keys, honest.input);
  assert.equal(p.publicSignals.length, 5, 'cOld, cNew, cBatch, lr, cBase');
  assert.equal(await verifyStep(keys.vkey, p.publicSignals, p.proof), true);
  const otherBase = [...p.publicSignals.slice(0, 4), String(BigInt(p.publicSignals[4]) + 1n)];
  assert.equal(await verifyStep(keys.vkey, otherBase, p.proof), false);
});

test('LoRA: a step whose base moved cannot be proved — the base is what cBase commits to', async () => {
  const keys = await testKeys(TEST_LORA);
  const hasher = await loadHasher();
  const data = randomStep(TEST_LORA, 31, hasher);
  const base = data.model.base!;
  const honest = prepareStep({ ...data, hasher, saltOld: freshSalt(), saltNew: freshSalt() });
  // The same public base commitment, but the step computed from (and witnessed with) a moved base.
  const moved = base.weights.map((v, j) => (j === 0 ? v + 1n : v));
  const cheat = loraModel(TEST_LORA, { ...base, weights: moved });
  const step = prepareStep({ ...data, model: cheat, hasher, saltOld: freshSalt(), saltNew: freshSalt() });
  assert.equal(step.pub.cBase, honest.pub.cBase);
  await assert.rejects(computeWitness(keys, step.input), (e: unknown) => e instanceof WitnessError && /LoraStep/.test(e.template ?? ''));
});
