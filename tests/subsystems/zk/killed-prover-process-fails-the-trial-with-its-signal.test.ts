/**
 * A pooled zk trial proves in a child process (trial-bridge.ts). Killing that process mid-training — what the
 * kernel's OOM killer or an operator does — fails the trial with a ProofGenerationError carrying the signal, not a
 * hang and not a result; the same trial left alone completes with every step proved.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubsystemTrialContext } from '../../../src/subsystems/subsystem.js';
import { ensureTabular } from '../../../src/subsystems/zk/dataset/tabular.js';
import { ProofGenerationError } from '../../../src/subsystems/zk/errors.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { runTrialInChild } from '../../../src/subsystems/zk/trial-bridge.js';
import { testKeys } from './fixtures.js';

after(releaseSnarkjs);

const PARAMS = { model: 'linear', n_features: 2, batch_size: 2, frac_bits: 16, steps: 3, learning_rate: 0.3, proof_policy: 'retry' };

function context(datasetsDir: string, onProgress: () => void): { ctx: SubsystemTrialContext; metrics: Record<string, number>[] } {
  const metrics: Record<string, number>[] = [];
  const ctx: SubsystemTrialContext = {
    trialNumber: 0, seed: 4, budget: { epochs: 1, batchCap: null }, datasetsDir, signal: new AbortController().signal,
    report: () => undefined, metrics: (_s, v) => void metrics.push({ ...v }), log: () => undefined, progress: onProgress,
    setAttr: () => undefined, shouldPrune: () => false, prune: () => { throw new Error('not pruned here'); },
  };
  return { ctx, metrics };
}

test('SIGKILL on the prover process fails the trial with a ProofGenerationError naming the signal', async () => {
  await testKeys();
  const root = mkdtempSync(join(tmpdir(), 'parzen-zk-kill-'));
  await ensureTabular(join(root, 'zk'), 5);
  const { ctx } = context(root, () => undefined);
  let killed = false;
  const killing = { ...ctx, progress: () => { if (!killed) { killed = true; child?.kill('SIGKILL'); } } };
  let child: import('node:child_process').ChildProcess | undefined;
  await assert.rejects(
    runTrialInChild(PARAMS, killing, { onChild: (c) => (child = c) }),
    (e: unknown) => e instanceof ProofGenerationError && e.code === 'PROOF_FAILED' && e.signal === 'SIGKILL' && /prover process ended/.test(e.message),
  );
  assert.ok(killed, 'killed after the first proved step');

  const { ctx: calm, metrics } = context(root, () => undefined);
  const value = await runTrialInChild(PARAMS, calm);
  assert.ok(Number.isFinite(value));
  assert.equal(metrics.at(-1)?.['proved_steps'], 3);
  assert.equal(metrics.at(-1)?.['proof_success_rate'], 1);
});
