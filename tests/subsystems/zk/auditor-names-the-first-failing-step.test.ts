/**
 * The auditor on real proof folders: two short proved runs with the same seed (so the same published batches), then
 * copies of the first with one thing changed each — a step taken from the other run (the chain breaks), a swapped
 * public input, a changed learning rate, a changed batch list, a missing step, rows that are not the committed ones.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { loadZkData } from '../../../src/subsystems/zk/data.js';
import { ensureTabular } from '../../../src/subsystems/zk/dataset/tabular.js';
import { parseZkHyperparams, ZK_DEFAULTS } from '../../../src/subsystems/zk/hyperparams.js';
import { formatOf } from '../../../src/subsystems/zk/sgd-reference.js';
import { AutoProver } from '../../../src/subsystems/zk/prover.js';
import { fullModel } from '../../../src/subsystems/zk/model.js';
import { loadHasher } from '../../../src/subsystems/zk/commitments.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { trainProved } from '../../../src/subsystems/zk/train.js';
import { TEST_SHAPE, testCacheDir, testKeys } from './fixtures.js';

after(releaseSnarkjs);

const root = mkdtempSync(join(tmpdir(), 'parzen-zk-audit-'));
const runA = join(root, 'a');
const runB = join(root, 'b');

before(async () => {
  await testKeys();
  await ensureTabular(join(root, 'datasets', 'zk'), 5);
  const hp = parseZkHyperparams({ ...ZK_DEFAULTS, n_features: 2, batch_size: 2, frac_bits: 16, steps: 3 });
  const data = loadZkData(join(root, 'datasets'), 2, formatOf(TEST_SHAPE));
  const prover = new AutoProver({ cacheDir: testCacheDir(), shape: TEST_SHAPE, policy: 'fail-fast', maxAttempts: 1, baseDelayMs: 1, log: () => undefined });
  const hasher = await loadHasher();
  for (const dir of [runA, runB]) {
    await trainProved({ hp, data, model: fullModel(TEST_SHAPE), prover, hasher, epochs: 1, stepCap: null, seed: 9, dir, signal: new AbortController().signal, onEpoch: () => false });
  }
});

function tampered(name: string, change: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(runA, dir, { recursive: true });
  change(dir);
  return dir;
}

const stepPath = (dir: string, k: number): string => join(dir, 'steps', `${String(k).padStart(6, '0')}.json`);

test('an untouched run audits clean: every proof verifies and the chain reaches the final commitment', async () => {
  const r = await auditProofs(runA);
  assert.deepEqual({ ok: r.ok, steps: r.steps, verified: r.verified, first: r.firstFailure }, { ok: true, steps: 3, verified: 3, first: null });
});

test("a step from another run (a valid proof) breaks the chain there, and only there first", async () => {
  const dir = tampered('chain', (d) => cpSync(stepPath(runB, 2), stepPath(d, 2)));
  const r = await auditProofs(dir);
  assert.deepEqual({ step: r.firstFailure?.step, check: r.firstFailure?.check }, { step: 2, check: 'chain' });
  const all = await auditProofs(dir, { mode: 'continue' });
  assert.equal(all.verified, 3, 'each proof is valid on its own');
  assert.deepEqual(all.failures.map((f) => `${f.step}:${f.check}`), ['2:chain', '3:chain']);
});

test('swapped public inputs fail the proof of that step', async () => {
  const dir = tampered('swap', (d) => {
    const rec = JSON.parse(readFileSync(stepPath(d, 3), 'utf8')) as { publicSignals: string[] };
    rec.publicSignals = [rec.publicSignals[1], rec.publicSignals[0], ...rec.publicSignals.slice(2)];
    writeFileSync(stepPath(d, 3), JSON.stringify(rec));
  });
  const r = await auditProofs(dir);
  assert.deepEqual({ step: r.firstFailure?.step, check: r.firstFailure?.check }, { step: 3, check: 'proof' });
});

test("a learning rate other than the run's, a changed batch list, a missing step and a missing last step are each named", async () => {
  const lr = tampered('lr', (d) => {
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { lr: string };
    writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...m, lr: String(BigInt(m.lr) + 1n) }));
  });
  assert.deepEqual((await auditProofs(lr)).firstFailure?.check, 'learning-rate');
  const batches = tampered('batches', (d) => {
    const b = JSON.parse(readFileSync(join(d, 'batches.json'), 'utf8')) as { rows: number[][]; commitments: string[] };
    writeFileSync(join(d, 'batches.json'), JSON.stringify({ ...b, commitments: [b.commitments[1], ...b.commitments.slice(1)] }));
  });
  assert.deepEqual((await auditProofs(batches)).firstFailure, { step: 1, check: 'batch', message: 'step 1: its batch commitment is not the published one' });
  const missing = tampered('missing', (d) => rmSync(stepPath(d, 2)));
  const gap = (await auditProofs(missing)).firstFailure;
  assert.deepEqual({ step: gap?.step, check: gap?.check }, { step: 2, check: 'missing' });
  const last = await auditProofs(tampered('missing-last', (d) => rmSync(stepPath(d, 3))), { mode: 'continue' });
  assert.deepEqual(last.failures.map((f) => `${f.step}:${f.check}`), ['3:missing', '2:final'], 'the last step gone is named, not only the chain end');
});

test('with the data, rows other than the committed ones are caught', async () => {
  const data = loadZkData(join(root, 'datasets'), 2, formatOf(TEST_SHAPE));
  const honest = (i: number): bigint[] => [...data.train.x[i], data.train.y[i]];
  assert.equal((await auditProofs(runA, { fixedRows: honest })).ok, true);
  const r = await auditProofs(runA, { fixedRows: (i) => honest(i).map((v, j) => (j === 0 ? v + 1n : v)) });
  assert.deepEqual({ step: r.firstFailure?.step, check: r.firstFailure?.check }, { step: 1, check: 'data' });
});
