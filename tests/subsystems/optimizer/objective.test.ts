import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, TrialPruned } from '../../../src/errors.js';
import optimizerSubsystem from '../../../src/subsystems/optimizer/index.js';
import { recorder, tinyDatasets, TINY_PARAMS } from './fixtures.js';

test('a tuning trial trains under its budget, reports per-epoch val_loss and metrics, and returns the best val_loss', async () => {
  const dir = await tinyDatasets();
  const r = recorder(dir, { budget: { epochs: 2, batchCap: 3 } });
  const value = await optimizerSubsystem.objective(TINY_PARAMS, r.ctx);
  assert.equal(r.attrs['backend'], 'wasm');
  assert.deepEqual(r.reports.map(([s]) => s), [1, 2]);
  assert.equal(value, Math.min(...r.reports.map(([, v]) => v)));
  assert.ok(Number.isFinite(value) && value > 0);
  for (const [, m] of r.metrics) {
    for (const k of ['train_loss', 'val_loss', 'lr', 'grad_norm', 'weight_norm']) assert.ok(Number.isFinite(m[k]), `${k} missing or non-finite`);
  }
  // The budget's batch cap bounds the epoch: 3 batches of 4, not the 6 the 24-circuit split holds.
  assert.equal(r.logs[0].data?.['batches'], 3);
});

test('a trial stops with TrialPruned when the pruner says so after an epoch', async () => {
  const dir = await tinyDatasets();
  const r = recorder(dir, { budget: { epochs: 3, batchCap: 2 }, prune: () => true });
  await assert.rejects(optimizerSubsystem.objective(TINY_PARAMS, r.ctx), (e: unknown) => e instanceof TrialPruned);
  assert.equal(r.reports.length, 1);
});

test('params that cannot build the network are a ConfigError naming the field', async () => {
  const dir = await tinyDatasets();
  await assert.rejects(
    optimizerSubsystem.objective({ ...TINY_PARAMS, hidden_dim: 18, num_heads: 4 }, recorder(dir).ctx),
    (e: unknown) => e instanceof ConfigError && /hidden_dim 18 is not divisible by num_heads 4/.test(e.message),
  );
  await assert.rejects(
    optimizerSubsystem.objective({ ...TINY_PARAMS, batch_size: 0 }, recorder(dir).ctx),
    (e: unknown) => e instanceof ConfigError && /^batch_size: expected a positive integer/.test(e.message),
  );
});
