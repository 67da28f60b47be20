import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Variable } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../src/ml/backend.js';
import { train } from '../../src/ml/train-loop.js';

async function quadratic(): Promise<{ tf: Tf; w: Variable }> {
  const { tf } = await initBackend('wasm');
  return { tf, w: tf.variable(tf.tensor1d([1, -1])) };
}

test('shouldStop is checked after each epoch and ends the run as pruned', async () => {
  const { tf, w } = await quadratic();
  const finished: number[] = [];
  const result = await train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0, 1], batchesPerEpoch: 2, batchCap: null, valLoss: () => 1, epochs: 10, learningRate: 0.01,
    onEpoch: (r) => {
      finished.push(r.epoch);
    },
    shouldStop: () => finished.length >= 2,
  });
  w.dispose();
  assert.equal(result.stoppedBy, 'pruned');
  assert.equal(result.epochs.length, 2);
});
test('an aborted signal stops between steps without validating the partial epoch', async () => {
  const { tf, w } = await quadratic();
  const ac = new AbortController();
  let validations = 0;
  const result = await train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0, 1, 2, 3], batchesPerEpoch: 4, batchCap: null, epochs: 5, learningRate: 0.01,
    valLoss: () => {
      validations += 1;
      return 1;
    },
    onStep: (i) => {
      if (i.step === 5) ac.abort();
    },
    signal: ac.signal,
  });
  w.dispose();
  assert.equal(result.stoppedBy, 'signal');
  assert.equal(result.steps, 6);
  assert.equal(result.epochs.length, 1);
  assert.equal(validations, 1);
});
