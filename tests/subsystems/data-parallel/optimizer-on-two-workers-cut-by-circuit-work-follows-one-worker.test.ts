import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/ml/backend.js';
import { trainModel } from '../../../src/subsystems/harness.js';
import { batchShares } from '../../../src/subsystems/optimizer/batching.js';
import { optimizerEngine } from '../../../src/subsystems/optimizer/engine.js';
import { parseHyperparams } from '../../../src/subsystems/optimizer/hyperparams.js';
import { subsystemModule } from '../../../src/subsystems/registry.js';
import { tinyDatasets, TINY_PARAMS } from '../optimizer/fixtures.js';

/**
 * Two replicas whose shares are cut by circuit work (not the batch's two halves: replica 0 may take circuits 0
 * and 3) against one worker on whole batches, on real worker threads. Only float summation order may differ: with
 * dropout too, since masks are keyed by circuit and row (ml/layers/keyed-dropout.ts), not by position in the
 * tensor. Unequal counts (weights 2 : 1 : 1) are covered by the three-worker test.
 */
for (const dropout of [0, 0.3]) test(`two train workers with shares cut by circuit work give the single worker’s loss at every step (dropout ${dropout})`, async () => {
  await initBackend('wasm');
  const datasetsDir = await tinyDatasets({ train: 24, val: 8, test: 12 });
  const params = { ...TINY_PARAMS, dropout };
  const hp = parseHyperparams(params);
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const seed = 7;
  const rank0 = [0, 1].flatMap((epoch) => [...batchShares(data.train, { batchSize: 4, seed, epoch, shuffle: true, share: { rank: 0, nShares: 2 } })]);
  const whole = [0, 1].flatMap((epoch) => [...optimizerEngine.trainBatches(data, hp, { seed, epoch })]);
  const moved = whole.filter((b, i) => Array.from(b.circuits).slice(0, 2).join() !== Array.from(rank0[i].batch?.circuits ?? []).join());
  assert.ok(moved.length > 0, 'some batch is cut otherwise than into its two halves');
  const run = async (count: number): Promise<{ losses: number[]; weights: Float32Array }> => {
    const losses: number[] = [];
    const { model } = await trainModel({
      engine: optimizerEngine, hp, data, epochs: 2, batchCap: null, seed, mode: 'full',
      onStep: (s) => void losses.push(s.loss),
      ...(count > 1 ? { replicas: { count, subsystem: 'optimizer', moduleUrl: subsystemModule('optimizer'), params, datasetsDir } } : {}),
    });
    const weights = Float32Array.from(model.variables.flatMap((v) => Array.from(v.dataSync())));
    model.dispose();
    return { losses, weights };
  };
  const one = await run(1);
  const two = await run(2);
  assert.equal(one.losses.length, 12);
  assert.equal(two.losses.length, one.losses.length);
  for (let i = 0; i < one.losses.length; i++) {
    assert.ok(Math.abs(two.losses[i] - one.losses[i]) <= 1e-4 * Math.max(1, Math.abs(one.losses[i])), `step ${i}: ${two.losses[i]} vs ${one.losses[i]}`);
  }
  const maxDiff = Math.max(...one.weights.map((w, i) => Math.abs(w - two.weights[i])));
  assert.ok(maxDiff < 1e-3, `weights differ from the single worker's by ${maxDiff}`);
});
