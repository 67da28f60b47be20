import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { causalSelfAttention } from '../../../src/subsystems/cllm/model/attention.js';
import { Rng } from '../../../src/util/rng.js';
import { wasmRuntime } from './fixtures.js';

const B = 2;
const T = 6;
const C = 8;
const opts = { batch: B, time: T, nHead: 2, dropout: 0, training: false, rng: new Rng(0) };

test('the attention block’s gradients (Q/K/V, softmax, per-slice products, projection) match central finite differences', async () => {
  await wasmRuntime();
  const rng = new Rng(21);
  const draw = (n: number, std: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * std);
  // Weights large enough that the softmax is far from uniform, so its gradient matters.
  const values = { x: draw(B * T * C, 1), wQkv: draw(C * 3 * C, 0.6), bQkv: draw(3 * C, 0.1), wProj: draw(C * C, 0.4), bProj: draw(C, 0.1) };
  const probe = draw(B * T * C, 1);
  const shapes = { x: [B * T, C], wQkv: [C, 3 * C], bQkv: [3 * C], wProj: [C, C], bProj: [C] } as const;
  type Key = keyof typeof values;
  const keys = Object.keys(values) as Key[];
  const lossOf = (ts: Record<Key, tf.Tensor>): tf.Scalar =>
    tf.sum(tf.mul(causalSelfAttention(ts.x as tf.Tensor2D, { wQkv: ts.wQkv as tf.Tensor2D, bQkv: ts.bQkv as tf.Tensor1D, wProj: ts.wProj as tf.Tensor2D, bProj: ts.bProj as tf.Tensor1D }, opts), tf.tensor2d(probe, [B * T, C])));
  const tensors = (v: Record<Key, Float32Array>): Record<Key, tf.Tensor> => Object.fromEntries(keys.map((k) => [k, tf.tensor(v[k], [...shapes[k]])])) as Record<Key, tf.Tensor>;
  const analytic = tf.tidy(() => {
    const ts = tensors(values);
    const gs = tf.grads((...args: tf.Tensor[]) => lossOf(Object.fromEntries(keys.map((k, i) => [k, args[i]])) as Record<Key, tf.Tensor>))(keys.map((k) => ts[k]));
    return gs.map((g) => g.dataSync() as Float32Array);
  });
  const lossAt = (key: Key, i: number, delta: number): number =>
    tf.tidy(() => {
      const v = { ...values, [key]: values[key].slice() };
      v[key][i] += delta;
      return lossOf(tensors(v)).dataSync()[0];
    });
  const eps = 1e-2;
  // Entries of every part: inputs at early and late positions, the Q, K and V columns, biases, the projection.
  const checks: Array<[Key, number]> = [['x', 0], ['x', 3 * C + 5], ['x', (B * T - 1) * C + 2], ['wQkv', 1], ['wQkv', C + 2], ['wQkv', 2 * C + 3], ['wQkv', 5 * 3 * C + C + 6], ['bQkv', C + 1], ['bQkv', 2 * C + 4], ['wProj', 9], ['bProj', 3]];
  for (const [key, i] of checks) {
    const numeric = (lossAt(key, i, eps) - lossAt(key, i, -eps)) / (2 * eps);
    const a = analytic[keys.indexOf(key)][i];
    assert.ok(Math.abs(a - numeric) <= 2e-2 * Math.max(Math.abs(a), Math.abs(numeric)) + 3e-3, `${key}[${i}]: analytic ${a}, finite differences ${numeric}`);
  }
  // The K columns get a gradient at all only through Q·Kᵀ: a zero there would mean scores ignore the keys.
  assert.ok(Math.abs(analytic[keys.indexOf('wQkv')][C + 2]) > 1e-3);
});
