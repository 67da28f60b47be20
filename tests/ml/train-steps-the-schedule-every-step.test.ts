import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/ml/backend.js';
import { lrAt } from '../../src/ml/lr-schedule.js';
import { train } from '../../src/ml/train-loop.js';
import { regressionTask } from './fixtures.js';

test('train sets the learning rate of every optimizer step from the warmup + cosine schedule', async () => {
  const { tf } = await initBackend('wasm');
  const task = regressionTask(tf, { seed: 3, nTrain: 64, nVal: 16, batchSize: 16 });
  const seen: Array<{ step: number; lr: number; batch: number; epoch: number }> = [];
  const result = await train({
    ...task.base, epochs: 3, batchCap: 3, learningRate: 0.01, warmupSteps: 2, minLrRatio: 0.2,
    onStep: (i) => seen.push({ step: i.step, lr: i.lr, batch: i.batch, epoch: i.epoch }),
  });
  task.dispose();
  // batchCap 3 of 4 batches: 3 steps per epoch, 9 in all, and the cosine reaches its floor at step 9.
  assert.equal(result.steps, 9);
  assert.deepEqual(seen.map((s) => s.step), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(seen.map((s) => s.batch), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  const schedule = { baseLr: 0.01, warmupSteps: 2, totalSteps: 9, minLrRatio: 0.2 };
  for (const s of seen) assert.equal(s.lr, lrAt(s.step, schedule));
  assert.equal(result.epochs[2].lr, lrAt(8, schedule));
});
