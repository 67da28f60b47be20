import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from '../../../../src/ml/train-loop.js';
import { batches } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { meanLoss } from '../../../../src/subsystems/optimizer/train.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

test('a few epochs of training reduce the loss on a tiny real split', async () => {
  await wasmRuntime();
  const data = tinyPrepared(16);
  const model = new GatModel({ ...TINY_CONFIG, hiddenDim: 32, dropout: 0 }, 11);
  const before = meanLoss(model, data, { batchSize: 8 });
  const result = await train({
    model,
    trainBatches: (epoch) => batches(data, { batchSize: 4, seed: 1, epoch, shuffle: true }),
    batchesPerEpoch: 4,
    valLoss: () => meanLoss(model, data, { batchSize: 8 }),
    epochs: 6,
    batchCap: null,
    learningRate: 3e-3,
    clipNorm: 1,
  });
  const after = meanLoss(model, data, { batchSize: 8 });
  assert.equal(result.epochs.length, 6);
  assert.ok(after < 0.7 * before, `loss went from ${before} to ${after}; expected at least a 30% drop`);
  model.dispose();
});
