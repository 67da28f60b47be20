import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/ml/backend.js';
import { train } from '../../src/ml/train-loop.js';
import { regressionTask } from './fixtures.js';

test('training an MLP leaks no tensors: the count after epoch 1 equals the count after epoch 3', async () => {
  const { tf } = await initBackend('wasm');
  const task = regressionTask(tf, { seed: 9, nTrain: 128, nVal: 32, batchSize: 16 });
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const result = await train({
    ...task.base, epochs: 3, batchCap: null, learningRate: 3e-3, warmupSteps: 4, clipNorm: 0.5,
    onStep: () => undefined, // exercises the per-step weight-norm path too
    onEpoch: () => {
      counts.push(tf.memory().numTensors);
    },
  });
  assert.equal(result.epochs.length, 3);
  assert.equal(counts[0], counts[2]);
  // on wasm Adam's moments live on the host (ml/kernels/adam-update.ts), so no tensor beyond the task's own is alive
  assert.equal(counts[0], before);
  assert.equal(tf.memory().numTensors, before, 'Adam state is freed when train returns');
  task.dispose();
});
