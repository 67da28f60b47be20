import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { saveShared } from '../kernels/shared-save.js';

/** The causal mask [T, T]: 0 where key ≤ query, −1e9 above the diagonal (exp underflows to exactly 0 there). */
export function causalMask(time: number): tf.Tensor2D {
  const m = new Float32Array(time * time);
  for (let q = 0; q < time; q++) for (let k = q + 1; k < time; k++) m[q * time + k] = -1e9;
  return tf.tensor2d(m, [time, time]);
}

/**
 * softmax(scale·scores + causal mask) over the last axis of [N, T, T]: attention weights where query t sees keys
 * ≤ t. The fused kernel pair of kernels/fused-causal-softmax.ts where the backend has it, else the stock ops.
 * @example causalSoftmax(batchMatMul(q, k, { transposeB: true }), 1 / Math.sqrt(headDim))
 */
export function causalSoftmax(scores: tf.Tensor3D, scale: number): tf.Tensor3D {
  if (!fusedKernelActive('ParzenCausalSoftmax')) return causalSoftmaxStock(scores, scale);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [sIn, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    const p = runFused('ParzenCausalSoftmax', { scores: sIn }, { scale })[0];
    saveShared(save, [p]);
    return {
      value: p,
      gradFunc: (dp: tf.Tensor, saved: tf.Tensor[]) => runFused('ParzenCausalSoftmaxGrad', { dp, p: saved[0] as tf.Tensor }, { scale }),
    };
  });
  return f(scores) as tf.Tensor3D;
}

/** The stock-op form, what the fused kernels are checked against. */
export function causalSoftmaxStock(scores: tf.Tensor3D, scale: number): tf.Tensor3D {
  return tf.softmax(tf.add(tf.mul(scores, scale), causalMask(scores.shape[2]))) as tf.Tensor3D;
}
