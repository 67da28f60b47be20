import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/ml/backend.js';
import { clipByGlobalNorm, globalNorm } from '../../src/ml/clip.js';

test('gradients above clipNorm are rescaled together to a global norm equal to clipNorm', async () => {
  const { tf } = await initBackend('wasm');
  const grads = [tf.tensor2d([[3, 0], [0, 4]]), tf.tensor1d([12])]; // global norm sqrt(9 + 16 + 144) = 13
  assert.equal(globalNorm(tf, grads).dataSync()[0], 13);
  const { clipped, norm } = clipByGlobalNorm(tf, grads, 2.6);
  assert.equal(norm.dataSync()[0], 13);
  assert.ok(Math.abs(globalNorm(tf, clipped).dataSync()[0] - 2.6) < 1e-6);
  // direction kept: every element scaled by 2.6 / 13 = 0.2
  assert.deepEqual(Array.from(clipped[0].dataSync()).map((v) => Math.round(v * 1e6) / 1e6), [0.6, 0, 0, 0.8]);
  assert.ok(Math.abs(clipped[1].dataSync()[0] - 2.4) < 1e-6);
});

test('a norm given by the caller clips exactly as the norm computed from the tensors', async () => {
  const { tf } = await initBackend('wasm');
  const grads = [tf.tensor1d([0.7, -1.3, 2.9]), tf.tensor2d([[0.11, 5.3], [-4.1, 0.01]])];
  const computed = clipByGlobalNorm(tf, grads, 0.9);
  const norm = computed.norm.dataSync()[0];
  const given = clipByGlobalNorm(tf, grads, 0.9, { norm });
  assert.equal(given.norm.dataSync()[0], norm);
  for (let i = 0; i < grads.length; i++) assert.deepEqual(Array.from(given.clipped[i].dataSync()), Array.from(computed.clipped[i].dataSync()));
  // The given norm is the one used (not recomputed): twice the norm halves the scale.
  const doubled = clipByGlobalNorm(tf, grads, 0.9, { norm: 2 * norm });
  assert.ok(Math.abs(doubled.clipped[0].dataSync()[0] - computed.clipped[0].dataSync()[0] / 2) < 1e-7);
});

test('gradients within clipNorm are left unchanged', async () => {
  const { tf } = await initBackend('wasm');
  const grads = [tf.tensor1d([0.3, -0.4])];
  const { clipped } = clipByGlobalNorm(tf, grads, 1);
  assert.deepEqual(Array.from(clipped[0].dataSync()), Array.from(grads[0].dataSync()));
});

test('train clips every step whose gradient norm exceeds clipNorm', async () => {
  const { tf } = await initBackend('wasm');
  const { train } = await import('../../src/ml/train-loop.js');
  const w = tf.variable(tf.tensor1d([10, -10]));
  const before = Array.from(w.dataSync());
  const steps: Array<{ gradNorm: number; clipped: boolean }> = [];
  await train({
    model: { variables: [w], loss: () => tf.sum(tf.square(w)) }, // gradient 2w: norm ≈ 28.3
    trainBatches: () => [0], batchesPerEpoch: 1, valLoss: () => 1, epochs: 1, batchCap: null,
    learningRate: 0.1, clipNorm: 1, onStep: (i) => steps.push(i),
  });
  assert.equal(steps.length, 1);
  assert.ok(steps[0].clipped);
  assert.ok(Math.abs(steps[0].gradNorm - Math.hypot(20, 20)) < 1e-3);
  // Adam's first step moves each coordinate by ≈ lr in the gradient's sign regardless of scale.
  const after = Array.from(w.dataSync());
  assert.ok(Math.abs(before[0] - after[0] - 0.1) < 1e-4 && Math.abs(after[1] - before[1] - 0.1) < 1e-4);
  w.dispose();
});
