import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../src/ml/backend.js';
import { CPU_FALLBACK_KERNELS } from '../../src/ml/kernels/cpu-fallback.js';
import { Rng } from '../../src/util/rng.js';

async function valuesOn(choice: 'cpu' | 'wasm', f: (tf: Tf) => Tensor): Promise<number[]> {
  const { tf } = await initBackend(choice);
  const t = tf.tidy(() => f(tf));
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

const rng = new Rng(4);
const image = Array.from({ length: 2 * 5 * 6 * 3 }, () => rng.normal());
const filter = Array.from({ length: 3 * 3 * 3 * 4 }, () => rng.normal());

test('every fallback kernel is registered on wasm by initBackend', async () => {
  const { tf } = await initBackend('wasm');
  for (const name of CPU_FALLBACK_KERNELS) assert.notEqual(tf.getKernel(name, 'wasm'), undefined, name);
});

test('the conv2d filter gradient (Conv2DBackpropFilter) on wasm matches cpu', async () => {
  const f = (tf: Tf): Tensor =>
    tf.grad((w: Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(image, [2, 5, 6, 3]), w as Tensor4D, 1, 'same'))))(
      tf.tensor4d(filter, [3, 3, 3, 4]),
    );
  const cpu = await valuesOn('cpu', f);
  const wasm = await valuesOn('wasm', f);
  assert.equal(wasm.length, 3 * 3 * 3 * 4);
  wasm.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) <= 1e-4 * (1 + Math.abs(cpu[i])), `element ${i}: ${v} vs ${cpu[i]}`));
});

test('einsum (array-input kernel) on wasm matches cpu and leaks nothing', async () => {
  const f = (tf: Tf): Tensor => tf.einsum('bij,bjk->bik', tf.tensor3d(image.slice(0, 24), [2, 3, 4]), tf.tensor3d(filter.slice(0, 16), [2, 4, 2]));
  const cpu = await valuesOn('cpu', f);
  const { tf } = await initBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = await valuesOn('wasm', f);
  assert.equal(tf.memory().numTensors, before);
  wasm.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) < 1e-5, `element ${i}: ${v} vs ${cpu[i]}`));
});
