import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { runFused } from '../../../src/ml/kernels/fused.js';
import { nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { useNativeKernels } from '../../../src/ml/kernels/native-kernels.js';
import { biasAdd } from '../../../src/ml/layers/bias-add.js';
import { dense } from '../../../src/ml/layers/dense.js';
import { linear, linearFused } from '../../../src/ml/layers/linear.js';
import { Rng } from '../../../src/util/rng.js';

/** The fused dense layer (ml/layers/linear.ts, kernels/fused-linear.ts) against dense + biasAdd and tf.matMul. */

const rng = new Rng(31);
const draw = (shape: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** Value and gradients of Σ f(xs)·dy with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const out = f(...xs);
  const dy = tf.sub(tf.mod(tf.range(0, out.size), 5).reshape(out.shape), 2);
  return [out, ...tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(f(...inputs), dy)))(xs)];
}

test('with native products, linear equals dense + biasAdd bit for bit in value and in the x, w and bias gradients, in one kernel each way', async (t) => {
  await initBackend('wasm');
  if (nativeBlas() === null) {
    assert.equal(linearFused(), false, 'without the addon linear keeps dense + biasAdd');
    t.skip('no native addon on this machine: the kernels are checked against tf.matMul in the next test');
    return;
  }
  assert.ok(linearFused());
  const xs = [draw([23, 11]), draw([11, 7]), draw([7])];
  for (const withBias of [true, false]) {
    const fused = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor => (withBias ? linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D) : tf.add(linear(x as tf.Tensor2D, w as tf.Tensor2D), tf.mul(b, 0)));
    const stock = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor => (withBias ? biasAdd(dense(x as tf.Tensor2D, w as tf.Tensor2D), b as tf.Tensor1D) : tf.add(dense(x as tf.Tensor2D, w as tf.Tensor2D), tf.mul(b, 0)));
    const ours = valueAndGrads(fused, xs);
    const ref = valueAndGrads(stock, xs);
    for (let i = 0; i < ref.length; i++) assert.deepEqual(Array.from(ours[i].dataSync()), Array.from(ref[i].dataSync()), `bias ${withBias}: output ${i} (value, dx, dw, db)`);
  }
  const dy = draw([23, 7]);
  const profile = await tf.profile(() => tf.dispose(tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D))(xs, dy)));
  assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'forward'), ['ParzenLinear', 'ParzenLinearGrad']);
});

test('the linear kernels equal tf.matMul and the bias sum on wasm and cpu, with the addon or the plain loop, and name mismatched factors', async () => {
  for (const [backend, native] of [['wasm', true], ['cpu', true], ['wasm', false], ['cpu', false]] as const) {
    await initBackend(backend);
    useNativeKernels(native);
    const [x, w, b, dy] = [draw([13, 6]), draw([6, 9]), draw([9]), draw([13, 9])];
    const [y] = runFused('ParzenLinear', { x, w, bias: b });
    assert.ok(maxRel(y, tf.add(tf.matMul(x, w), b)) < 1e-6, `${backend}: x·w + b`);
    assert.ok(maxRel(runFused('ParzenProduct', { x, w })[0], tf.matMul(x, w)) < 1e-6, `${backend}: x·w`);
    const [dx, dw, db] = runFused('ParzenLinearGrad', { dy, x, w }, { bias: 1 });
    assert.ok(maxRel(dx, tf.matMul(dy, w, false, true)) < 1e-6, `${backend}: dy·wᵀ`);
    assert.ok(maxRel(dw, tf.matMul(x, dy, true, false)) < 1e-6, `${backend}: xᵀ·dy`);
    assert.ok(maxRel(db, tf.sum(dy, 0)) < 1e-6, `${backend}: Σ_rows dy`);
    assert.equal(runFused('ParzenLinearGrad', { dy, x, w }).length, 2, `${backend}: no bias output without attr bias`);
    assert.throws(() => runFused('ParzenProduct', { x, w: draw([5, 9]) }), (e: unknown) => e instanceof TrainingError && /ParzenProduct: .*got \[13, 6\] · \[5, 9\]/.test(e.message));
  }
  useNativeKernels(true);
});
