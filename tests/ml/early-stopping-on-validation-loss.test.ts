import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/ml/backend.js';
import { EarlyStopping } from '../../src/ml/early-stopping.js';
import { train } from '../../src/ml/train-loop.js';

test('EarlyStopping counts only improvements larger than minDelta', () => {
  const s = new EarlyStopping({ patience: 2, minDelta: 0.1 });
  assert.equal(s.update(0, 1.0), true);
  assert.equal(s.update(1, 0.95), false); // better, but by less than minDelta
  assert.equal(s.shouldStop, false);
  assert.equal(s.update(2, 0.85), true);
  assert.equal(s.update(3, 0.9), false);
  assert.equal(s.update(4, 0.8), false);
  assert.equal(s.shouldStop, true);
  assert.equal(s.best, 0.85);
  assert.equal(s.bestEpoch, 2);
});

test('train stops after `patience` epochs without improvement and reports the best epoch', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1]));
  const valLosses = [0.5, 0.4, 0.45, 0.41, 0.42, 0.1, 0.1];
  const result = await train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0, 1], batchesPerEpoch: 2, valLoss: (epoch) => valLosses[epoch],
    epochs: 7, batchCap: null, learningRate: 0.01, earlyStopping: { patience: 3 },
  });
  w.dispose();
  assert.equal(result.stoppedBy, 'early');
  assert.equal(result.stoppedEarly, true);
  assert.equal(result.epochs.length, 5);
  assert.equal(result.bestEpoch, 1);
  assert.equal(result.bestValLoss, 0.4);
});

test('without early stopping every epoch runs', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1]));
  const result = await train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0], batchesPerEpoch: 1, valLoss: () => 1, epochs: 4, batchCap: null, learningRate: 0.01,
  });
  w.dispose();
  assert.equal(result.stoppedBy, 'epochs');
  assert.equal(result.stoppedEarly, false);
  assert.equal(result.epochs.length, 4);
  assert.equal(result.bestEpoch, 0);
});
