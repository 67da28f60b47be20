import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/ml/backend.js';
import { train } from '../../src/ml/train-loop.js';
import { regressionTask } from './fixtures.js';

test('an MLP trained by train() beats the mean predictor by a wide margin on held-out data', async () => {
  const { tf } = await initBackend('wasm');
  const task = regressionTask(tf, { seed: 21, nTrain: 512, nVal: 128, batchSize: 32 });
  const result = await train({
    ...task.base, epochs: 25, batchCap: null, learningRate: 1e-2, warmupFraction: 0.05, minLrRatio: 0.05, clipNorm: 5,
  });
  task.dispose();
  const first = result.epochs[0];
  const last = result.epochs[result.epochs.length - 1];
  assert.ok(result.bestValLoss < 0.1 * task.meanPredictorMse, `val MSE ${result.bestValLoss} vs mean predictor ${task.meanPredictorMse}`);
  assert.ok(last.trainLoss < first.trainLoss / 5, `train loss ${first.trainLoss} → ${last.trainLoss}`);
  for (const r of result.epochs) assert.ok(r.weightNorm > 0 && r.gradNorm > 0 && r.seconds >= 0 && r.steps === 16);
});
