import * as tf from '@tensorflow/tfjs-core';

/** Plain 2-D products of matching slices: out[i] = a[i] · b[i]. */
function perSlice(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const as = tf.unstack(a) as tf.Tensor2D[];
  const bs = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(as.map((ai, i) => tf.matMul(ai, bs[i]))) as tf.Tensor3D;
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
