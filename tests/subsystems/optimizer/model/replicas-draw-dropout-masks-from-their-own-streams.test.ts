import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainingError } from '../../../../src/errors.js';
import { batchShares, packBatch, type GraphBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

/**
 * Data-parallel replicas build the model from one seed. Regression: on one dropout stream every replica drew the
 * same seeds, so node i of every share got the same mask (tfjs' dropout lays a seed's mask out in element order):
 * the shares' masks were correlated, unlike one worker's over the whole batch.
 */
const CONFIG = { ...TINY_CONFIG, dropout: 0.5 };

function trainingLoss(stream: number | undefined, b: GraphBatch): number {
  const model = new GatModel(CONFIG, 4);
  try {
    return model.loss(stream === undefined ? b : { ...b, dropoutStream: stream }, true).dataSync()[0];
  } finally {
    model.dispose();
  }
}

test('replica r draws its masks from stream r: replicas differ, a replica repeats, the single worker is stream 0', async () => {
  await wasmRuntime();
  const b = packBatch(tinyPrepared(6), [0, 1]);
  assert.equal(trainingLoss(0, b), trainingLoss(undefined, b), 'stream 0 is what one worker draws');
  assert.equal(trainingLoss(1, b), trainingLoss(1, b), 'the same replica repeats');
  assert.notEqual(trainingLoss(1, b), trainingLoss(0, b), 'replica 1 draws other masks than replica 0');
  assert.notEqual(trainingLoss(2, b), trainingLoss(1, b));
});

test('data-parallel shares carry their replica’s stream; a bad stream is a SHAPE error naming the field', async () => {
  await wasmRuntime();
  const data = tinyPrepared(8);
  for (const rank of [0, 1, 2]) {
    const [first] = [...batchShares(data, { batchSize: 4, seed: 1, epoch: 0, shuffle: true, share: { rank, nShares: 3 } })];
    assert.equal(first.batch?.dropoutStream, rank);
  }
  const model = new GatModel(CONFIG, 4);
  try {
    const b = packBatch(data, [0]);
    assert.throws(() => model.loss({ ...b, dropoutStream: -1 }, true), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && /dropoutStream/.test(e.message));
  } finally {
    model.dispose();
  }
});
