import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { segmentSum } from '../kernels/gather-rows.js';
import { saveShared } from '../kernels/shared-save.js';

/**
 * Σ over the rows sharing a segment id of α-weighted rows: out[s, h, :] = Σ_{e : ids[e] = s} α[e, h]·x[e, h, :],
 * x [E, H·hd], α [E, H] → [n, H·hd] (graph attention's aggregation of messages per destination node, per head):
 * the fused kernel pair of kernels/fused-weighted-segment-sum.ts where the backend has it, else the stock ops.
 * `ids` is given as a tensor and as host values (the stock path's gradient gathers on the host).
 * @example weightedSegmentSum(xSrcE, alpha, g.dst, g.dstValues, g.nNodes) // [N, D]
 */
export function weightedSegmentSum(x: tf.Tensor2D, alpha: tf.Tensor2D, ids: tf.Tensor1D, idValues: Int32Array, n: number): tf.Tensor2D {
  if (!fusedKernelActive('ParzenWeightedSegmentSum')) return weightedSegmentSumStock(x, alpha, ids, idValues, n);
  const attrs = { numSegments: n };
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, a, i, save] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
    saveShared(save, [xs, a, i]);
    return {
      value: runFused('ParzenWeightedSegmentSum', { x: xs, alpha: a, segmentIds: i }, attrs)[0],
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sa, si] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D];
        const [dx, dAlpha] = runFused('ParzenWeightedSegmentSumGrad', { dy, x: sx, alpha: sa, segmentIds: si }, attrs) as [tf.Tensor, tf.Tensor];
        return [dx, dAlpha, tf.zerosLike(si)];
      },
    };
  });
  return f(x, alpha, ids) as tf.Tensor2D;
}

/** The stock-op form (Reshape, Mul, segment sum), what the fused kernels are checked against. */
export function weightedSegmentSumStock(x: tf.Tensor2D, alpha: tf.Tensor2D, ids: tf.Tensor1D, idValues: Int32Array, n: number): tf.Tensor2D {
  const [E, D] = x.shape;
  const H = alpha.shape[1];
  const messages = tf.mul(x.reshape([E, H, D / H]), alpha.reshape([E, H, 1]));
  return segmentSum(messages.reshape([E, D]) as tf.Tensor2D, ids, idValues, n);
}
