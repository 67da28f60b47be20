import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import type { Tf } from '../../../src/ml/backend-choice.js';
import { embeddingLookup } from '../../../src/ml/kernels/gather-rows.js';
import { batchMatMul, matMul, matMulOfData } from '../../../src/ml/kernels/matmul.js';
import { nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { useNativeMatMul } from '../../../src/ml/kernels/native-matmul.js';
import { sparseSoftmaxCrossEntropy } from '../../../src/ml/kernels/sparse-cross-entropy.js';
import { Rng } from '../../../src/util/rng.js';

/** Each fast kernel of ml/kernels against the stock tfjs op it replaces, values and gradients, on wasm. */

const rng = new Rng(5);
const draw = (shape: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** f(x, y) and its gradients against a fixed cotangent dy. */
function withGrads(f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor, x: tf.Tensor, y: tf.Tensor): tf.Tensor[] {
  const out = f(x, y);
  // The same cotangent for both sides: a fixed pattern of the output's shape, not a fresh draw.
  const dy = tf.sub(tf.mod(tf.range(0, out.size), 7).reshape(out.shape), 3);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy)))([x, y]);
  return [out, dx, dw];
}

const FLAGS: ReadonlyArray<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

test('matMul and batchMatMul with every transpose flag equal tf.matMul in values and gradients, on the stock and the native kernel', async () => {
  const { tf: tfx } = await initBackend('wasm');
  const blas = nativeBlas();
  try {
    for (const native of blas === null ? [false] : [false, true]) {
      useNativeMatMul(tfx as Tf, blas, native);
      for (const [tA, tB] of FLAGS) {
        const a2 = draw(tA ? [6, 9] : [9, 6]);
        const b2 = draw(tB ? [4, 6] : [6, 4]);
        const ours2 = withGrads((x, y) => matMul(x as tf.Tensor2D, y as tf.Tensor2D, { transposeA: tA, transposeB: tB }), a2, b2);
        const ref2 = withGrads((x, y) => tf.matMul(x, y, tA, tB), a2, b2);
        const a3 = draw(tA ? [5, 7, 3] : [5, 3, 7]);
        const b3 = draw(tB ? [5, 8, 7] : [5, 7, 8]);
        const ours3 = withGrads((x, y) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, { transposeA: tA, transposeB: tB }), a3, b3);
        const ref3 = withGrads((x, y) => tf.matMul(x, y, tA, tB), a3, b3);
        for (let i = 0; i < 3; i++) {
          assert.ok(maxRel(ours2[i], ref2[i]) < 1e-5, `2-D native=${native} flags ${tA},${tB} output ${i}`);
          assert.ok(maxRel(ours3[i], ref3[i]) < 1e-5, `3-D native=${native} flags ${tA},${tB} output ${i}`);
        }
      }
    }
  } finally {
    useNativeMatMul(tfx as Tf, blas, blas !== null);
  }
  assert.throws(() => matMul(draw([3, 4]) as tf.Tensor2D, draw([3, 4]) as tf.Tensor2D), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && /\[3, 4\] × \[3, 4\]/.test(e.message));
  assert.throws(() => batchMatMul(draw([2, 3, 4]) as tf.Tensor3D, draw([3, 4, 2]) as tf.Tensor3D), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE');
});

test('matMulOfData gives tf.matMul\'s value and weight gradient with every transpose flag, and runs no product for the data\'s gradient', async () => {
  const { tf: tfx } = await initBackend('wasm');
  for (const [tA, tB] of FLAGS) {
    const a = draw(tA ? [6, 9] : [9, 6]);
    const w = tf.variable(draw(tB ? [4, 6] : [6, 4]));
    const dy = tf.sub(tf.mod(tf.range(0, 36), 7).reshape([9, 4]), 3);
    /** The product, the weight gradient, and how many products forward + backward ran. */
    const run = async (f: () => tf.Tensor): Promise<[tf.Tensor, tf.Tensor, number]> => {
      const kept: tf.Tensor[] = [];
      const info = await tfx.profile(() => {
        const r = tf.variableGrads(() => tf.sum(tf.mul(f(), dy)) as tf.Scalar, [w]);
        kept.push(tf.keep(f()), tf.keep(r.grads[w.name]));
      });
      return [kept[0], kept[1], info.kernels.filter((k) => k.name === 'BatchMatMul').length - 1];
    };
    const [oursV, oursG, oursN] = await run(() => matMulOfData(a as tf.Tensor2D, w as unknown as tf.Tensor2D, { transposeA: tA, transposeB: tB }));
    const [refV, refG, refN] = await run(() => matMul(a as tf.Tensor2D, w as unknown as tf.Tensor2D, { transposeA: tA, transposeB: tB }));
    assert.ok(maxRel(oursV, refV) < 1e-6 && maxRel(oursG, refG) < 1e-6, `flags ${tA},${tB}: value or weight gradient differs`);
    assert.equal(oursN, refN - 1, `flags ${tA},${tB}: one product fewer (no gradient for the data)`);
    tf.dispose([a, w, dy, oursV, oursG, refV, refG]);
  }
});

test('embeddingLookup equals tf.gather in values and in the gradient of the table, repeated ids included', async () => {
  await initBackend('wasm');
  const table = draw([11, 6]) as tf.Tensor2D;
  const ids = Int32Array.from([3, 0, 10, 3, 3, 7]);
  const dy = draw([ids.length, 6]);
  assert.equal(maxRel(embeddingLookup(table, ids), tf.gather(table, tf.tensor1d(ids, 'int32'))), 0);
  const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), dy)))(table);
  const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), dy)))(table);
  assert.ok(maxRel(ours, ref) < 1e-6);
  assert.throws(() => embeddingLookup(table, Int32Array.from([11])), (e: unknown) => e instanceof TrainingError && /index 11 at position 0 is outside \[0, 11\)/.test(e.message));
});

test('sparseSoftmaxCrossEntropy equals the one-hot cross-entropy in value and logits gradient, and names a bad target', async () => {
  await initBackend('wasm');
  const logits = tf.mul(draw([40, 13]), 4) as tf.Tensor2D;
  const targets = Int32Array.from({ length: 40 }, (_, i) => (i * 5) % 13);
  const oneHotLoss = (z: tf.Tensor): tf.Scalar => {
    const target = tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), 13), 'float32');
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), target), -1))) as tf.Scalar;
  };
  const ours = tf.valueAndGrad((z: tf.Tensor) => sparseSoftmaxCrossEntropy(z as tf.Tensor2D, targets))(logits);
  const ref = tf.valueAndGrad(oneHotLoss)(logits);
  assert.ok(Math.abs(ours.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-5);
  assert.ok(maxRel(ours.grad, ref.grad) < 1e-5);
  assert.throws(() => sparseSoftmaxCrossEntropy(logits, Int32Array.from({ length: 40 }, () => 13)), (e: unknown) => e instanceof TrainingError && /target 13 at position 0 is outside the vocabulary \[0, 13\)/.test(e.message));
  assert.throws(() => sparseSoftmaxCrossEntropy(logits, new Int32Array(3)), (e: unknown) => e instanceof TrainingError && /3 targets for 40 rows/.test(e.message));
});

test('a clone on wasm shares its buffer and outlives neither more nor less than tfjs says: disposing one keeps the other', async () => {
  await initBackend('wasm');
  const x = draw([3, 4]);
  const before = Array.from(x.dataSync());
  const c = tf.clone(x);
  assert.deepEqual(Array.from(c.dataSync()), before);
  x.dispose();
  assert.deepEqual(Array.from(c.dataSync()), before);
  const y = tf.add(c, 1);
  c.dispose();
  assert.deepEqual(Array.from(y.dataSync()), before.map((v) => Math.fround(v + 1)));
});
