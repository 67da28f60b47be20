import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { runFused } from '../../../src/ml/kernels/fused.js';
import { matMul } from '../../../src/ml/kernels/matmul.js';
import { nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { useNativeKernels } from '../../../src/ml/kernels/native-kernels.js';
import { layerNorm, layerNormStock } from '../../../src/ml/layers/layer-norm.js';
import { normProduct, normProductFused } from '../../../src/ml/layers/norm-product.js';
import { Rng } from '../../../src/util/rng.js';

/** LayerNorm fused with the product that reads it (ml/layers/norm-product.ts) against layerNorm then matMul. */

const rng = new Rng(37);
const draw = (shape: number[], scale = 1, shift = 0): tf.Tensor =>
  tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => shift + scale * rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const out = f(...xs);
  const dy = tf.sub(tf.mod(tf.range(0, out.size), 5).reshape(out.shape), 2);
  return [out, ...tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(f(...inputs), dy)))(xs)];
}

const inputs = (transposeW: boolean): tf.Tensor[] => [draw([19, 8], 3, 1), draw([8], 1, 1), draw([8]), transposeW ? draw([5, 8]) : draw([8, 5])];

test('with native products, normProduct equals layerNorm then matMul bit for bit in value and every gradient, W plain or transposed, in one kernel each way', async (t) => {
  await initBackend('wasm');
  if (nativeBlas() === null) {
    assert.equal(normProductFused(), false, 'without the addon normProduct keeps layerNorm and matMul');
    t.skip('no native addon on this machine: the kernels are checked against the stock ops in the next test');
    return;
  }
  assert.ok(normProductFused());
  for (const transposeW of [false, true]) {
    const xs = inputs(transposeW);
    const fused = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w: tf.Tensor): tf.Tensor => normProduct(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, w as tf.Tensor2D, { transposeW });
    const unfused = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w: tf.Tensor): tf.Tensor => matMul(layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), w as tf.Tensor2D, { transposeB: transposeW });
    const ours = valueAndGrads(fused, xs);
    const ref = valueAndGrads(unfused, xs);
    for (let i = 0; i < ref.length; i++) assert.deepEqual(Array.from(ours[i].dataSync()), Array.from(ref[i].dataSync()), `transposeW ${transposeW}: output ${i} (value, dx, d gain, d bias, dw)`);
    const dy = tf.onesLike(ours[0]);
    const profile = await tf.profile(() => tf.dispose(tf.grads(fused)(xs, dy)));
    assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'forward'), ['ParzenNormProduct', 'ParzenNormProductGrad']);
  }
});

test('the norm-product kernels equal the stock LayerNorm and tf.matMul through the C kernels and the plain loops, on wasm and cpu', async () => {
  for (const [backend, native] of [['wasm', true], ['cpu', true], ['wasm', false], ['cpu', false]] as const) {
    await initBackend(backend);
    useNativeKernels(native);
    for (const transposeW of [false, true]) {
      const xs = inputs(transposeW);
      const [x, g, b, w] = xs;
      const attrs = { transposeW: transposeW ? 1 : 0 };
      const stock = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, wi: tf.Tensor): tf.Tensor => tf.matMul(layerNormStock(xi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D), wi, false, transposeW);
      const [y, normed] = runFused('ParzenNormProduct', { x, gain: g, bias: b, w }, attrs);
      const dy = draw(y.shape);
      const ours = [y, ...runFused('ParzenNormProductGrad', { dy, x, normed, gain: g, w }, attrs)];
      const ref = [stock(x, g, b, w), ...tf.grads(stock)(xs, dy)];
      for (let i = 0; i < ref.length; i++) {
        const rel = maxRel(ours[i], ref[i]);
        assert.ok(rel < 2e-5, `${backend}${native ? '' : ' (plain loops)'}, transposeW ${transposeW}: output ${i} (y, dx, d gain, d bias, dw) differs by ${rel.toExponential(2)}`);
      }
    }
    assert.throws(
      () => runFused('ParzenNormProduct', { x: draw([4, 8]), gain: draw([8]), bias: draw([8]), w: draw([6, 5]) }, { transposeW: 0 }),
      (e: unknown) => e instanceof TrainingError && /ParzenNormProduct: LN\(x\) \[4, 8\] · w \[6, 5\] needs matching inner dimensions/.test(e.message),
    );
  }
  useNativeKernels(true);
});
