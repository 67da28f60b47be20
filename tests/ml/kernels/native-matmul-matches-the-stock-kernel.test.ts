import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/ml/backend.js';
import { matmulStatus, nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { nativeMatMulActive, useNativeMatMul } from '../../../src/ml/kernels/native-matmul.js';
import type { Tf } from '../../../src/ml/backend-choice.js';
import { Rng } from '../../../src/util/rng.js';

/**
 * The native BatchMatMul (native/, over the system BLAS) against the wasm backend's stock kernel on the same inputs:
 * every transpose combination, batched and broadcast shapes, values and gradients. Without the addon (no BLAS on
 * the machine, or PARZEN_NATIVE=0) the test checks that the stock kernel is the one registered and says so.
 */

const rng = new Rng(17);
const draw = (shape: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
const relDiff = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** [a shape, b shape, transposeA, transposeB]: plain, flagged, batched, broadcast batch, higher rank. */
const CASES: ReadonlyArray<[number[], number[], boolean, boolean]> = [
  [[7, 5], [5, 3], false, false],
  [[5, 7], [5, 3], true, false],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [3, 5], true, true],
  [[6, 9, 4], [6, 4, 8], false, false],
  [[6, 4, 9], [6, 8, 4], true, true],
  [[6, 9, 4], [1, 4, 8], false, false],
  [[1, 9, 4], [6, 8, 4], false, true],
  [[2, 3, 5, 4], [2, 3, 4, 6], false, false],
  [[48, 64, 32], [48, 64, 32], false, true],
];

/** The product and, unless the batch broadcasts (tfjs' own MatMul gradient rejects that shape), both gradients. */
function valuesAndGrads(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor[] {
  const y = tf.matMul(a, b, tA, tB);
  if (a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join()) return [y];
  const dy = tf.onesLike(y).mul(tf.range(0, y.size).reshape(y.shape).mod(7).sub(3));
  const [da, db] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, w, tA, tB), dy)))([a, b]);
  return [y, da, db];
}

test('the native BatchMatMul equals the stock wasm kernel in values and gradients, or the stock kernel is in use', async (t) => {
  const { tf: tfx, matmul } = await initBackend('wasm');
  const blas = nativeBlas();
  if (blas === null) {
    t.diagnostic(`native addon absent: ${matmulStatus().summary}; checked that the stock wasm kernel is registered`);
    assert.equal(nativeMatMulActive(tfx), false);
    assert.equal(matmulStatus().kind, 'wasm');
    assert.match(matmul, /^wasm \(/);
    return;
  }
  assert.equal(nativeMatMulActive(tfx), true, 'initBackend registers the native kernel when the addon loads');
  assert.match(matmul, /^native \(/);
  try {
    for (const [sa, sb, tA, tB] of CASES) {
      const a = draw(sa);
      const b = draw(sb);
      const native = tf.tidy(() => valuesAndGrads(a, b, tA, tB));
      useNativeMatMul(tfx as Tf, blas, false);
      assert.equal(nativeMatMulActive(tfx), false);
      const stock = tf.tidy(() => valuesAndGrads(a, b, tA, tB));
      useNativeMatMul(tfx as Tf, blas, true);
      const label = `[${sa}]${tA ? 'ᵀ' : ''} × [${sb}]${tB ? 'ᵀ' : ''}`;
      assert.deepEqual(native[0].shape, stock[0].shape, label);
      assert.equal(native.length, stock.length);
      for (let i = 0; i < native.length; i++) assert.ok(relDiff(native[i], stock[i]) < 1e-5, `${label}: ${['value', 'da', 'db'][i]} differs by ${relDiff(native[i], stock[i])}`);
      tf.dispose([a, b, ...native, ...stock]);
    }
  } finally {
    useNativeMatMul(tfx as Tf, blas, true);
  }
});

test('a native product whose output grows the wasm heap is written to the new heap, not a stale view', async (t) => {
  const { tf: tfx } = await initBackend('wasm');
  if (!nativeMatMulActive(tfx)) return t.skip(`native addon absent: ${matmulStatus().summary}`);
  // [4096,1]·[1,4096]: a 64 MiB output, larger than the heap the earlier tests needed, so makeOutput grows it.
  const col = tf.range(0, 4096).reshape([4096, 1]) as tf.Tensor2D;
  const row = tf.range(0, 4096).reshape([1, 4096]).mul(0.5) as tf.Tensor2D;
  const heapBefore = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const out = tf.matMul(col, row);
  const heapAfter = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  t.diagnostic(`wasm heap ${heapBefore} → ${heapAfter} bytes`);
  const v = out.dataSync();
  for (const [i, j] of [[0, 0], [4095, 4095], [1234, 77], [17, 4000]]) assert.equal(v[i * 4096 + j], i * j * 0.5);
  tf.dispose([col, row, out]);
});
