import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../src/errors.js';
import { initBackend } from '../../src/ml/backend.js';
import { batchMatMul } from '../../src/ml/layers/batch-matmul.js';
import { Rng } from '../../src/util/rng.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

test('batchMatMul and its gradients equal tfjs’ batched matMul on wasm', async () => {
  await initBackend('wasm');
  const rng = new Rng(3);
  const draw = (shape: [number, number, number]): tf.Tensor3D => tf.tensor3d(Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => rng.normal()), shape);
  const a = draw([5, 7, 3]);
  const b = draw([5, 3, 4]);
  const dy = draw([5, 7, 4]);
  assert.ok(maxDiff(batchMatMul(a, b), tf.matMul(a, b)) < 1e-5);
  const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D), dy)))([a, b]);
  const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D), dy)))([a, b]);
  assert.ok(maxDiff(da, ra) < 1e-5 && maxDiff(db, rb) < 1e-5);
  assert.throws(() => batchMatMul(a, draw([5, 4, 4])), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE');
});
