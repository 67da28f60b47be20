import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainingError } from '../../src/errors.js';
import { initBackend } from '../../src/ml/backend.js';
import { train } from '../../src/ml/train-loop.js';

test('a NaN training loss throws TrainingError NUMERIC naming the epoch and step, before the update', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1, 2]));
  let calls = 0;
  let weightsAtFailure: number[] = [];
  const run = train({
    model: {
      variables: [w],
      // the fourth batch (epoch 1, step 3) poisons the loss
      loss: () => {
        calls += 1;
        if (calls === 4) weightsAtFailure = Array.from(w.dataSync());
        return calls === 4 ? tf.mul(tf.sum(tf.square(w)), Number.NaN) : tf.sum(tf.square(w));
      },
    },
    trainBatches: () => [0, 1, 2], batchesPerEpoch: 3, batchCap: 3, valLoss: () => 1, epochs: 3, learningRate: 0.01,
  });
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof TrainingError);
    assert.equal(e.code, 'NUMERIC');
    assert.match(e.message, /epoch 1, step 3: training loss is NaN/);
    return true;
  });
  assert.deepEqual(Array.from(w.dataSync()), weightsAtFailure);
  w.dispose();
});

test('an infinite gradient with a finite loss throws naming the gradient norm and the variable', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([0, 0]), true, 'bad_weight');
  const run = train({
    // sqrt at 0: the loss is 0 but d/dw sqrt(w²) = w / sqrt(w²) is 0/0
    model: { variables: [w], loss: () => tf.sum(tf.sqrt(tf.square(w))) },
    trainBatches: () => [0], batchesPerEpoch: 1, batchCap: null, valLoss: () => 1, epochs: 1, learningRate: 0.01,
  });
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof TrainingError);
    assert.equal(e.code, 'NUMERIC');
    assert.match(e.message, /epoch 0, step 0: gradient norm is NaN .*bad_weight/);
    return true;
  });
  w.dispose();
});

test('a non-finite validation loss throws naming the epoch', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1]));
  const run = train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0], batchesPerEpoch: 1, batchCap: null, valLoss: (e) => (e === 1 ? Number.POSITIVE_INFINITY : 1),
    epochs: 3, learningRate: 0.01,
  });
  await assert.rejects(run, (e: unknown) => e instanceof TrainingError && e.code === 'NUMERIC' && /epoch 1: validation loss is Infinity/.test(e.message));
  w.dispose();
});
