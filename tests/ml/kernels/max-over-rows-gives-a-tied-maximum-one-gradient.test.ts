import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor3D } from '@tensorflow/tfjs';
import { initBackend } from '../../../src/ml/backend.js';
import { maxOverRows } from '../../../src/ml/kernels/max-over-rows.js';
import { Rng } from '../../../src/util/rng.js';

test('maxOverRows matches tf.max over axis 1, values and gradients, when no rows tie', async () => {
  const { tf } = await initBackend('wasm');
  const rng = new Rng(3);
  const x = tf.tensor3d(Float32Array.from({ length: 3 * 5 * 4 }, () => rng.normal()), [3, 5, 4]);
  const dy = tf.tensor2d(Float32Array.from({ length: 12 }, (_, i) => (i % 5) - 2), [3, 4]);
  const ours = tf.grad((t: Tensor) => tf.sum(tf.mul(maxOverRows(t as Tensor3D), dy)))(x);
  const stock = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.max(t, 1), dy)))(x);
  assert.deepEqual(Array.from(maxOverRows(x).dataSync()), Array.from(tf.max(x, 1).dataSync()));
  // tf.max's mask gives −0 to the rows that lose; the values are the same.
  const plain = (t: Tensor): number[] => Array.from(t.dataSync(), (v) => v + 0);
  assert.deepEqual(plain(ours), plain(stock));
});

test('rows tied for the maximum share one dy between them, where tf.max gives each the whole dy', async () => {
  const { tf } = await initBackend('wasm');
  // One graph, three nodes of which two are identical (and maximal), one feature.
  const x = tf.tensor3d([2, 2, -1], [1, 3, 1]);
  const ours = tf.grad((t: Tensor) => tf.sum(maxOverRows(t as Tensor3D)))(x).dataSync();
  const stock = tf.grad((t: Tensor) => tf.sum(tf.max(t, 1)))(x).dataSync();
  assert.deepEqual(Array.from(ours), [1, 0, 0], 'the first maximising row takes the gradient');
  assert.equal(stock[0] + stock[1], 2, 'tf.max counts the tie twice (what maxOverRows exists to avoid)');
  // The finite difference of the max, moving both tied rows together as identical nodes move, is 1, not 2.
  const f = (d: number): number => tf.max(tf.tensor3d([2 + d, 2 + d, -1], [1, 3, 1]), 1).dataSync()[0];
  assert.ok(Math.abs((f(1e-3) - f(-1e-3)) / 2e-3 - (ours[0] + ours[1])) < 1e-3);
});
