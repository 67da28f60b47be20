import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DatasetError } from '../../src/errors.js';
import { initBackend } from '../../src/ml/backend.js';
import { train } from '../../src/ml/train-loop.js';
import type { TrainOptions } from '../../src/ml/train-types.js';

test('bad training options are rejected with a ConfigError naming the field', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1]));
  const base: TrainOptions<number> = {
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) },
    trainBatches: () => [0], batchesPerEpoch: 1, batchCap: null, valLoss: () => 1, epochs: 1, learningRate: 0.01,
  };
  const cases: Array<[Partial<TrainOptions<number>>, RegExp]> = [
    [{ epochs: 0 }, /^epochs: must be an integer ≥ 1, got 0/],
    [{ batchCap: 2.5 }, /^batchCap:/],
    [{ batchesPerEpoch: -1 }, /^batchesPerEpoch:/],
    [{ clipNorm: 0 }, /^clipNorm:/],
    [{ earlyStopping: { patience: 0 } }, /^earlyStopping\.patience:/],
    [{ earlyStopping: { patience: 2, minDelta: -1 } }, /^earlyStopping\.minDelta:/],
    [{ learningRate: Number.NaN }, /^learningRate:/],
    [{ model: { variables: [], loss: () => tf.scalar(0) } }, /^model\.variables:/],
  ];
  for (const [patch, message] of cases) {
    await assert.rejects(train({ ...base, ...patch }), (e: unknown) => e instanceof ConfigError && message.test(e.message));
  }
  w.dispose();
});

test('a data source that yields no batches is a DatasetError', async () => {
  const { tf } = await initBackend('wasm');
  const w = tf.variable(tf.tensor1d([1]));
  await assert.rejects(
    train({ model: { variables: [w], loss: () => tf.sum(w) }, trainBatches: () => [], batchesPerEpoch: 3, batchCap: null, valLoss: () => 1, epochs: 1, learningRate: 0.01 }),
    (e: unknown) => e instanceof DatasetError && /epoch 0: trainBatches yielded no batches/.test(e.message),
  );
  w.dispose();
});
