/**
 * What a cheating trainer could try, each against the real circuit and verifier: claim new weights one unit in the
 * last place off (with a commitment that matches the claim), forge the witness file past the calculator, swap the
 * old and new commitments of a valid proof, change its learning rate.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { WitnessError } from '../../../src/subsystems/zk/errors.js';
import { toField } from '../../../src/subsystems/zk/fixed-point.js';
import { computeWitness, proveStep, proveWitness, verifyStep } from '../../../src/subsystems/zk/snark/prove.js';
import { loadSnarkjs, releaseSnarkjs, SILENT_LOGGER, type MemFile } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../../src/subsystems/zk/step.js';
import { weightCommitment } from '../../../src/subsystems/zk/commitments.js';
import { randomStep, TEST_SHAPE, testKeys } from './fixtures.js';

after(releaseSnarkjs);

async function validStep(seed: number) {
  const hasher = await loadHasher();
  const data = randomStep(TEST_SHAPE, seed, hasher);
  const saltOld = freshSalt();
  const saltNew = freshSalt();
  return { hasher, data, saltOld, saltNew, step: prepareStep({ ...data, hasher, saltOld, saltNew }) };
}

test('new weights one ulp off, committed to honestly, fail witness generation and name the template', async () => {
  const keys = await testKeys();
  const { hasher, data, saltOld, saltNew, step } = await validStep(11);
  const claimed = step.trace.next.map((v, j) => (j === 1 ? v + 1n : v));
  const forged = prepareStep({ ...data, hasher, saltOld, saltNew, claimedNew: claimed });
  assert.equal(forged.pub.cNew, weightCommitment(hasher, claimed, saltNew), 'the commitment matches the claimed weights');
  await assert.rejects(computeWitness(keys, forged.input), (e: unknown) => e instanceof WitnessError && e.code === 'WITNESS_FAILED' && /SgdFullStep/.test(e.template ?? ''));
  await computeWitness(keys, step.input);
});

/** Overwrites witness entry `index` of a .wtns image (section 2 holds n8-byte little-endian field elements). */
function setWitness(wtns: MemFile, index: number, value: bigint): void {
  const d = wtns.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  let pos = 12;
  let n8 = 32;
  for (;;) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    if (type === 1) n8 = view.getUint32(pos + 12, true);
    if (type === 2) {
      let v = value;
      for (let b = 0; b < n8; b++, v >>= 8n) d[pos + 12 + index * n8 + b] = Number(v & 0xffn);
      return;
    }
    pos += 12 + size;
  }
}

test('a forged witness file yields a proof the verifier rejects, and fails the witness check', async () => {
  const keys = await testKeys();
  const snarkjs = await loadSnarkjs();
  const { hasher, saltNew, step } = await validStep(12);
  const wtns = await computeWitness(keys, step.input);
  assert.equal(await snarkjs.wtns.check(keys.circuit.r1cs, wtns, SILENT_LOGGER), true, 'the honest witness checks');
  // Witness layout: 1, then the public inputs cOld, cNew, cBatch, lr, then the private ones (w, wNew, …).
  const claimed = step.trace.next.map((v, j) => (j === 0 ? v - 1n : v));
  setWitness(wtns, 2, weightCommitment(hasher, claimed, saltNew));
  setWitness(wtns, 5 + TEST_SHAPE.d + 1, toField(claimed[0], hasher.p));
  assert.equal(await snarkjs.wtns.check(keys.circuit.r1cs, wtns, SILENT_LOGGER), false);
  const { proof, publicSignals } = await proveWitness(keys, wtns);
  assert.equal(publicSignals[1], weightCommitment(hasher, claimed, saltNew).toString(), 'the forged claim is what the proof states');
  assert.equal(await verifyStep(keys.vkey, publicSignals, proof), false);
});

test('a valid proof verifies, and fails once its commitments are swapped or its learning rate changed', async () => {
  const keys = await testKeys();
  const { step } = await validStep(13);
  const p = await proveStep(keys, step.input);
  assert.equal(await verifyStep(keys.vkey, p.publicSignals, p.proof), true);
  const [cOld, cNew, cBatch, lr] = p.publicSignals;
  assert.equal(await verifyStep(keys.vkey, [cNew, cOld, cBatch, lr], p.proof), false, 'swapped old/new commitments');
  assert.equal(await verifyStep(keys.vkey, [cOld, cNew, cBatch, String(BigInt(lr) + 1n)], p.proof), false, 'learning rate + 1 ulp');
  assert.equal(await verifyStep(keys.vkey, [cOld, cNew, cBatch, String(BigInt(lr) * 2n)], p.proof), false, 'learning rate doubled');
});
