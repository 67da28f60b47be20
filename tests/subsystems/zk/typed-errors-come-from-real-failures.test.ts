/** Each zk error type, raised by the failure it names — a real one, not a mock. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { ensureCircuit } from '../../../src/subsystems/zk/artifacts/compile.js';
import { readPtauPower } from '../../../src/subsystems/zk/artifacts/setup.js';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { ArtifactsNotFoundError, InvalidModelStateError, ProofGenerationError, RetriesExhaustedError, WitnessError } from '../../../src/subsystems/zk/errors.js';
import { toFixed } from '../../../src/subsystems/zk/fixed-point.js';
import { parseZkHyperparams, ZK_DEFAULTS } from '../../../src/subsystems/zk/hyperparams.js';
import { sgdStep } from '../../../src/subsystems/zk/sgd-reference.js';
import { proveStep } from '../../../src/subsystems/zk/snark/prove.js';
import { withRetries } from '../../../src/subsystems/zk/snark/retry.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../../src/subsystems/zk/step.js';
import { randomStep, TEST_PTAU, TEST_SHAPE, testKeys } from './fixtures.js';

after(releaseSnarkjs);

test('a NaN or a weight outside ±256 is an invalid model state naming the value', async () => {
  const f = { fracBits: 16, valueBits: 24 };
  assert.throws(() => toFixed(Number.NaN, f, 'weights[0]'), (e: unknown) => e instanceof InvalidModelStateError && e.code === 'MODEL_STATE' && e.field === 'weights[0]');
  const data = randomStep(TEST_SHAPE, 1, await loadHasher());
  const w = [300n << 16n, ...data.params.slice(1)];
  assert.throws(() => sgdStep(TEST_SHAPE, { ...data.batch, lr: data.lr, w }), (e: unknown) => e instanceof InvalidModelStateError && e.field === 'weights[0]' && /outside the fixed-point range/.test(e.message));
  // A learning rate so large that the update leaves the range: the new weights are refused before proving.
  const big = { w: [250n << 16n, 0n, 0n], x: [[255n << 16n, 0n], [255n << 16n, 0n]], y: [-(255n << 16n), -(255n << 16n)], lr: 255n << 16n };
  assert.throws(() => sgdStep(TEST_SHAPE, big), (e: unknown) => e instanceof InvalidModelStateError && /new weights\[0\]/.test(e.field));
});

test('missing artifacts name every path searched', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'parzen-zk-empty-'));
  await assert.rejects(auditProofs(empty), (e: unknown) => e instanceof ArtifactsNotFoundError && e.code === 'ARTIFACTS_NOT_FOUND' && e.searched.includes(join(empty, 'manifest.json')));
  assert.throws(() => readPtauPower(join(empty, 'nope.ptau')), (e: unknown) => e instanceof ArtifactsNotFoundError && e.searched[0] === join(empty, 'nope.ptau'));
  assert.equal(readPtauPower(TEST_PTAU), 12);
});

test('a corrupt proving key fails every attempt with backoff, then retries are exhausted with the last error', async () => {
  const keys = await testKeys();
  const broken = join(mkdtempSync(join(tmpdir(), 'parzen-zk-broken-')), 'circuit.zkey');
  copyFileSync(keys.zkey, broken);
  truncateSync(broken, Math.floor(readFileSync(broken).length / 3));
  const hasher = await loadHasher();
  const step = prepareStep({ ...randomStep(TEST_SHAPE, 2, hasher), hasher, saltOld: freshSalt(), saltNew: freshSalt() });
  const delays: number[] = [];
  await assert.rejects(
    withRetries(() => proveStep({ ...keys, zkey: broken }, step.input), { maxAttempts: 3, baseDelayMs: 5, onRetry: (_a, _e, ms) => void delays.push(ms) }),
    (e: unknown) => e instanceof RetriesExhaustedError && e.code === 'RETRIES_EXHAUSTED' && e.attempts === 3 && e.lastError instanceof ProofGenerationError && e.lastError.retryable,
  );
  assert.deepEqual(delays, [5, 10]);
});

test('a witness that violates the circuit is not retried', async () => {
  const keys = await testKeys();
  const hasher = await loadHasher();
  const data = randomStep(TEST_SHAPE, 3, hasher);
  const honest = prepareStep({ ...data, hasher, saltOld: freshSalt(), saltNew: freshSalt() });
  const wrong = prepareStep({ ...data, hasher, saltOld: freshSalt(), saltNew: freshSalt(), claimedNew: honest.trace.next.map((v) => v + 1n) });
  let calls = 0;
  await assert.rejects(
    withRetries(() => (calls++, proveStep(keys, wrong.input)), { maxAttempts: 4, baseDelayMs: 5 }),
    (e: unknown) => e instanceof WitnessError,
  );
  assert.equal(calls, 1);
});

test('a batch size without a circuit, an unknown model, a LoRA too wide to commit, an unknown policy and an unknown proof system are configuration errors naming the key', () => {
  const bad = (params: Record<string, unknown>, key: string): void =>
    assert.throws(() => parseZkHyperparams({ ...ZK_DEFAULTS, ...params }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${key}:`) && e.message.includes('subsystems.zk'));
  bad({ batch_size: 3 }, 'batch_size');
  bad({ model: 'quadratic' }, 'model');
  bad({ model: 'lora-4', n_features: 4 }, 'model');
  bad({ proof_policy: 'placeholder' }, 'proof_policy');
  bad({ proof_system: 'full_sgd_proof' }, 'proof_system');
  assert.deepEqual(({ ...parseZkHyperparams({ ...ZK_DEFAULTS, model: 'lora-2' }) }).rank, 2);
});

test('a compiled circuit missing its WebAssembly names the path it looked for', async () => {
  const keys = await testKeys();
  const cache = mkdtempSync(join(tmpdir(), 'parzen-zk-nowasm-'));
  const dir = join(cache, 'circuits', keys.circuit.dir.split('/').pop()!);
  cpSync(keys.circuit.dir, dir, { recursive: true });
  rmSync(join(dir, 'main_js', 'main.wasm'));
  await assert.rejects(ensureCircuit(cache, TEST_SHAPE, () => undefined), (e: unknown) => e instanceof ArtifactsNotFoundError && e.searched.includes(join(dir, 'main_js', 'main.wasm')) && /delete .* so it is compiled again/.test(e.message));
});
