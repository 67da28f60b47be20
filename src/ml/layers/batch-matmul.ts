import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../errors.js';

/**
 * Plain 2-D products of matching slices: out[i] = a[i] · b[i]. The slices are cut and the results gathered on
 * the host (wasm tensors live in host memory, so this is a memcpy): tfjs' Unpack/Stack kernels on wasm cost as
 * much as the products themselves at attention sizes.
 */
function perSlice(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [n, m, k] = a.shape;
  const cols = b.shape[2];
  if (b.shape[0] !== n || b.shape[1] !== k) {
    throw new TrainingError(`batchMatMul: [${a.shape.join(', ')}] × [${b.shape.join(', ')}]: the batch or inner dimensions differ`, { code: 'SHAPE' });
  }
  const av = a.dataSync() as Float32Array;
  const bv = b.dataSync() as Float32Array;
  const out = new Float32Array(n * m * cols);
  for (let i = 0; i < n; i++) {
    tf.tidy(() => {
      const ai = tf.tensor2d(av.subarray(i * m * k, (i + 1) * m * k), [m, k]);
      const bi = tf.tensor2d(bv.subarray(i * k * cols, (i + 1) * k * cols), [k, cols]);
      out.set(tf.matMul(ai, bi).dataSync() as Float32Array, i * m * cols);
    });
  }
  return tf.tensor3d(out, [n, m, cols]);
}

/** [N, m, k] → [N, k, m], written out (the product then takes no transpose flag). */
const swapLast = (x: tf.Tensor3D): tf.Tensor3D => tf.transpose(x, [0, 2, 1]);

/**
 * a[i] · b[i] for every i of [N, m, k] × [N, k, n] → [N, m, n], as N plain 2-D products. On the wasm backend a
 * BatchMatMul with a batch dimension or a transpose flag leaves XNNPACK's fast path (measured ~2 vs ~20 GFLOP/s
 * on attention-sized slices), so the forward product and both gradients (da = dy·bᵀ, db = aᵀ·dy, with the
 * transposes written out) run slice by slice, as ml/layers/dense.ts does for the 2-D case.
 * @example batchMatMul(q, kT) // [B·H, T, T] attention scores
 */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [aIn, bIn, save] = inputs as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
    save([aIn, bIn]);
    return {
      value: perSlice(aIn, bIn),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [as, bs] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [perSlice(dy as tf.Tensor3D, swapLast(bs)), perSlice(swapLast(as), dy as tf.Tensor3D)];
      },
    };
  });
  return f(a, b) as tf.Tensor3D;
}
