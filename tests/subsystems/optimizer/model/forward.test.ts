import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

test('a forward pass over a packed batch of real circuits gives finite [batch, 6] predictions', async () => {
  const { tf } = await wasmRuntime();
  const data = tinyPrepared(6);
  const model = new GatModel(TINY_CONFIG, 3);
  const batch = packBatch(data, [0, 2, 4, 5]);
  const pred = model.forward(batch, false);
  assert.deepEqual(pred.shape, [4, 6]);
  const values = pred.dataSync();
  assert.ok(values.every(Number.isFinite));
  // Different circuits must not collapse to one prediction (the readout separates graphs).
  assert.notDeepEqual(Array.from(values.subarray(0, 6)), Array.from(values.subarray(6, 12)));
  pred.dispose();
  const loss = tf.tidy(() => model.loss(batch, false).dataSync()[0]);
  assert.ok(Number.isFinite(loss) && loss > 0);
  model.dispose();
});

test('the same seed gives the same weights and predictions; another seed does not', async () => {
  await wasmRuntime();
  const data = tinyPrepared(3);
  const batch = packBatch(data, [0, 1, 2]);
  const [a, b, c] = [new GatModel(TINY_CONFIG, 9), new GatModel(TINY_CONFIG, 9), new GatModel(TINY_CONFIG, 10)];
  assert.deepEqual(a.predict(batch), b.predict(batch));
  assert.notDeepEqual(a.predict(batch), c.predict(batch));
  for (const m of [a, b, c]) m.dispose();
});
