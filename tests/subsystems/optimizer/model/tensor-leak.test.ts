import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from '../../../../src/ml/train-loop.js';
import { batches } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { meanLoss } from '../../../../src/subsystems/optimizer/train.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

test('the tensor count stays flat across training steps, validation and prediction', async () => {
  const { tf } = await wasmRuntime();
  const data = tinyPrepared(8);
  const model = new GatModel(TINY_CONFIG, 2);
  const counts: number[] = [];
  await train({
    model,
    trainBatches: (epoch) => batches(data, { batchSize: 2, seed: 3, epoch, shuffle: true }),
    batchesPerEpoch: 4,
    valLoss: () => meanLoss(model, data, { batchSize: 4 }),
    epochs: 3,
    batchCap: null,
    learningRate: 1e-3,
    onStep: () => counts.push(tf.memory().numTensors),
  });
  assert.equal(counts.length, 12);
  // After the first step Adam's moments exist; from then on each step must free everything it made.
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensor counts per step: ${counts.join(', ')}`);
  const before = tf.memory().numTensors;
  for (const b of batches(data, { batchSize: 4, seed: 0, epoch: 0, shuffle: false })) model.predict(b);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});
