import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { embeddingBag, type EmbeddingBags } from '../../../src/ml/kernels/embedding-bag.js';
import { Rng } from '../../../src/util/rng.js';

/** embeddingBag against the same sums written with tf.gather, values and the table's gradient, on wasm. */

function draw(shape: [number, number], seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => rng.uniform(-1, 1)), shape);
}

/** Bag b as Σ scale·gather, stacked in bagOf order: the stock-op reference. */
function reference(table: tf.Tensor2D, b: EmbeddingBags): tf.Tensor2D {
  const bags = Array.from({ length: b.start.length - 1 }, (_, g) => {
    const rows = Array.from(b.rows.subarray(b.start[g], b.start[g + 1]));
    if (rows.length === 0) return tf.zeros([1, table.shape[1]]);
    const scale = tf.tensor2d(b.scale.subarray(b.start[g], b.start[g + 1]), [rows.length, 1]);
    return tf.sum(tf.mul(tf.gather(table, tf.tensor1d(rows, 'int32')), scale), 0, true);
  });
  return tf.gather(tf.concat(bags, 0), tf.tensor1d(b.bagOf, 'int32')) as tf.Tensor2D;
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

test('embeddingBag equals weighted gathers in values and in the gradient of the table: repeated rows, a bag read twice, an empty bag', async () => {
  await initBackend('wasm');
  const table = draw([9, 5], 1);
  const bags: EmbeddingBags = {
    rows: Int32Array.from([4, 7, 7, 0, 2, 8]),
    scale: Float32Array.from([1, 0.5, 0.5, 1, -2, 0.25]),
    start: Int32Array.from([0, 3, 3, 6]),
    bagOf: Int32Array.from([0, 2, 1, 0, 2]),
  };
  const dy = draw([5, 5], 2);
  assert.ok(maxAbs(embeddingBag(table, bags), reference(table, bags)) < 1e-6);
  const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingBag(t as tf.Tensor2D, bags), dy)))(table);
  const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(reference(t as tf.Tensor2D, bags), dy)))(table);
  assert.ok(maxAbs(ours, ref) < 1e-6);
  assert.throws(() => embeddingBag(table, { ...bags, rows: Int32Array.from([4, 7, 9, 0, 2, 8]) }), (e: unknown) => e instanceof TrainingError && /row 9 at entry 2 is outside the table \[0, 9\)/.test(e.message));
});
