import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';

/** Q, K and V per (sequence, head): each [B·H, T, C/H]. */
export type HeadsQkv = [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];

/**
 * The attention projection qkv [B·T, 3C] cut into Q, K, V and split into heads: the fused kernel pair of
 * kernels/fused-split-heads.ts where the backend has it, else the stock split, reshape and transpose.
 * @example const [q, k, v] = splitQkvHeads(qkv, { batch: 12, heads: 4 })
 */
export function splitQkvHeads(qkv: tf.Tensor2D, o: { batch: number; heads: number }): HeadsQkv {
  if (!fusedKernelActive('ParzenSplitHeads')) return splitQkvHeadsStock(qkv, o);
  const part = (index: number): tf.Tensor3D => {
    const attrs = { batch: o.batch, heads: o.heads, part: index };
    const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      value: runFused('ParzenSplitHeads', { qkv: inputs[0] as tf.Tensor }, attrs)[0],
      gradFunc: (dy: tf.Tensor) => runFused('ParzenSplitHeadsGrad', { dy }, attrs),
    }));
    return f(qkv) as tf.Tensor3D;
  };
  return [part(0), part(1), part(2)];
}

/** The stock-op form, what the fused kernels are checked against. */
export function splitQkvHeadsStock(qkv: tf.Tensor2D, o: { batch: number; heads: number }): HeadsQkv {
  const C = qkv.shape[1] / 3;
  const time = qkv.shape[0] / o.batch;
  const hd = C / o.heads;
  const split = (x: tf.Tensor): tf.Tensor3D => tf.reshape(tf.transpose(tf.reshape(x, [o.batch, time, o.heads, hd]), [0, 2, 1, 3]), [o.batch * o.heads, time, hd]);
  return (tf.split(qkv, [C, C, C], 1) as tf.Tensor2D[]).map(split) as HeadsQkv;
}
