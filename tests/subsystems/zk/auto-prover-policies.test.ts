/**
 * The AutoProver's policies, each driven by a real failure — a truncated Groth16 proving key in a copy of the test
 * cache — not a mock: fail-fast stops at the first attempt, retry backs off (base delay injected: 1, 2, 4 … units)
 * and succeeds once the key is whole again, continue records the step as unproved (and the audit names it),
 * fallback proves the step with PLONK, whose proof the audit verifies under the PLONK key. It also picks the circuit
 * family from the update itself.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import type { CircuitKeys } from '../../../src/subsystems/zk/artifacts/setup.js';
import type { CircuitShape } from '../../../src/subsystems/zk/circuit/shapes.js';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { ProofGenerationError, RetriesExhaustedError } from '../../../src/subsystems/zk/errors.js';
import { AutoProver, updateKind, type ProofPolicy } from '../../../src/subsystems/zk/prover.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep, type PreparedStep } from '../../../src/subsystems/zk/step.js';
import { randomStep, TEST_LORA, TEST_PLONK_SHAPE, TEST_SHAPE, testCacheDir, testKeys } from './fixtures.js';
import { writeBatches, writeManifestFile } from '../../../src/subsystems/zk/proof-store.js';

after(releaseSnarkjs);

let groth16: CircuitKeys;
let plonk: CircuitKeys;
before(async () => {
  groth16 = await testKeys(TEST_PLONK_SHAPE, 'groth16');
  plonk = await testKeys(TEST_PLONK_SHAPE, 'plonk');
});

/** A copy of the test cache's ptau and TEST_PLONK_SHAPE circuits, its Groth16 proving key cut to a third; restore() mends it. */
function brokenCache(): { dir: string; zkey: string; restore(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-zk-broken-cache-'));
  cpSync(join(testCacheDir(), 'ptau'), join(dir, 'ptau'), { recursive: true });
  for (const c of [groth16.circuit.dir, plonk.circuit.dir]) cpSync(c, join(dir, 'circuits', c.split('/').pop()!), { recursive: true });
  const zkey = join(dir, 'circuits', groth16.circuit.dir.split('/').pop()!, groth16.zkey.split('/').slice(-2).join('/'));
  truncateSync(zkey, Math.floor(readFileSync(zkey).length / 3));
  return { dir, zkey, restore: () => copyFileSync(groth16.zkey, zkey) };
}

async function step(shape: CircuitShape, seed: number): Promise<PreparedStep> {
  const hasher = await loadHasher();
  return prepareStep({ ...randomStep(shape, seed, hasher), hasher, saltOld: freshSalt(), saltNew: freshSalt() });
}

function prover(cacheDir: string, policy: ProofPolicy, logs: string[] = [], maxAttempts = 3): AutoProver {
  return new AutoProver({ cacheDir, shape: TEST_PLONK_SHAPE, policy, maxAttempts, baseDelayMs: 2, log: (m) => void logs.push(m) });
}

test('the circuit family is chosen from the update: whole weights go to full SGD, a base with adapters to LoRA', async () => {
  assert.equal(updateKind((await step(TEST_SHAPE, 1)).input), 'full');
  assert.equal(updateKind((await step(TEST_LORA, 2)).input), 'lora');
  const lora = await step(TEST_LORA, 3);
  const p = new AutoProver({ cacheDir: testCacheDir(), shape: TEST_SHAPE, policy: 'retry', maxAttempts: 1, baseDelayMs: 1, log: () => undefined });
  await assert.rejects(p.proveAndStore(mkdtempSync(join(tmpdir(), 'parzen-zk-kind-')), lora, { step: 1, epoch: 1 }), (e: unknown) => e instanceof ConfigError && /lora update/.test(e.message));
});

test('fail-fast: a broken proving key fails the first attempt with the prover error itself', async () => {
  const c = brokenCache();
  const p = prover(c.dir, 'fail-fast');
  await assert.rejects(p.proveAndStore(join(c.dir, 'run'), await step(TEST_PLONK_SHAPE, 4), { step: 1, epoch: 1 }), (e: unknown) => e instanceof ProofGenerationError && e.retryable && /Groth16 proving failed/.test(e.message));
  assert.deepEqual(p.stats, { attempts: 1, retries: 0, proved: 0, failed: 0, fallbacks: 0 });
});

test('retry: backs off 1, 2, 4 … base delays, exhausts with the last error, and succeeds once the key is mended', async () => {
  const c = brokenCache();
  const logs: string[] = [];
  await assert.rejects(prover(c.dir, 'retry', logs, 4).proveAndStore(join(c.dir, 'run'), await step(TEST_PLONK_SHAPE, 5), { step: 1, epoch: 1 }), (e: unknown) => e instanceof RetriesExhaustedError && e.attempts === 4 && e.lastError instanceof ProofGenerationError);
  assert.deepEqual(logs.map((m) => /retrying in (\d+) ms/.exec(m)?.[1]), ['2', '4', '8']);
  const mending: string[] = [];
  const p = new AutoProver({ cacheDir: c.dir, shape: TEST_PLONK_SHAPE, policy: 'retry', maxAttempts: 3, baseDelayMs: 2, log: (m) => (mending.push(m), /retrying/.test(m) && c.restore()) });
  const r = await p.proveAndStore(join(c.dir, 'run2'), await step(TEST_PLONK_SHAPE, 6), { step: 1, epoch: 1 });
  assert.equal(r.system, 'groth16');
  assert.equal(r.attempts, 2);
  assert.deepEqual(p.stats, { attempts: 2, retries: 1, proved: 1, failed: 0, fallbacks: 0 });
});

test('continue: the step is stored unproved with its error, and the audit names it', async () => {
  const c = brokenCache();
  const p = prover(c.dir, 'continue', [], 1);
  const run = join(c.dir, 'run');
  const prepared = await step(TEST_PLONK_SHAPE, 7);
  const r = await p.proveAndStore(run, prepared, { step: 1, epoch: 1 });
  assert.equal(r.proof, null);
  assert.equal(r.error?.code, 'PROOF_FAILED');
  assert.equal(p.stats.failed, 1);
  await writeRunFiles(run, prepared, { groth16: groth16.vkey });
  const audit = await auditProofs(run);
  assert.deepEqual({ step: audit.firstFailure?.step, check: audit.firstFailure?.check }, { step: 1, check: 'unproved' });
});

test('fallback: when Groth16 fails the step is proved with PLONK — a real proof the audit verifies under the PLONK key', async () => {
  const c = brokenCache();
  const logs: string[] = [];
  const p = prover(c.dir, 'fallback', logs, 2);
  const run = join(c.dir, 'run');
  const prepared = await step(TEST_PLONK_SHAPE, 8);
  const r = await p.proveAndStore(run, prepared, { step: 1, epoch: 1 });
  assert.equal(r.system, 'plonk');
  assert.equal(r.proofBytes, 768);
  assert.deepEqual(p.stats, { attempts: 3, retries: 2, proved: 1, failed: 0, fallbacks: 1 });
  assert.ok(logs.some((m) => /proving it with PLONK/.test(m)));
  await writeRunFiles(run, prepared, { groth16: groth16.vkey });
  assert.equal((await auditProofs(run)).firstFailure?.check, 'proof', 'without the PLONK key the audit cannot accept it');
  await writeRunFiles(run, prepared, { groth16: groth16.vkey, plonk: plonk.vkey });
  const audit = await auditProofs(run);
  assert.equal(audit.ok, true, JSON.stringify(audit.failures));
  assert.deepEqual(audit.systems, { plonk: 1 });
});

/** A one-step run's manifest and batch list around a stored step. */
async function writeRunFiles(dir: string, s: PreparedStep, vkeys: Record<string, CircuitKeys['vkey']>): Promise<void> {
  await writeManifestFile(dir, {
    formatVersion: 2, system: 'groth16', shape: TEST_PLONK_SHAPE, circuitKey: 'test', vkeys,
    setup: { ptauKind: 'local', ptauPower: 12, note: 'test' }, lr: s.pub.lr.toString(), initialCommitment: s.pub.cOld.toString(),
    standardisation: { mean: [0], std: [1] }, finalCommitment: s.pub.cNew.toString(), nSteps: 1,
  });
  await writeBatches(dir, { rows: [[0, 1]], commitments: [s.pub.cBatch.toString()] });
}
