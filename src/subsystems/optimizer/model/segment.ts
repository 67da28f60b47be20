import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../../../ml/kernels/fused.js';
import { gatherRows, segmentSum } from '../../../ml/kernels/gather-rows.js';
import { saveShared } from '../../../ml/kernels/shared-save.js';

/**
 * Softmax over each node's incoming edges ("segment softmax"), the normalisation of GAT's attention
 * coefficients: α_ij = exp(e_ij) / Σ_{k ∈ N(i)} exp(e_ik) (Veličković et al. 2018, eq. 2).
 *
 * Numerical stability: subtracting any per-segment constant m_i leaves α unchanged, so we subtract the
 * segment's maximum logit. tfjs has no UnsortedSegmentMax kernel, so the maximum is computed on the host from
 * the logits' values (wasm and cpu tensors live in host memory, so this is a copy, not a device round trip).
 * It enters the graph as a constant: since softmax is shift-invariant, ∂α/∂m = 0 and no gradient is lost.
 */

/** Per-edge shift [E, H]: the largest logit among the edges entering the same destination, per head. */
export function segmentMaxShift(logits: tf.Tensor2D, dst: Int32Array, nNodes: number): tf.Tensor2D {
  const [nEdges, nHeads] = logits.shape;
  const values = logits.dataSync();
  const max = new Float32Array(nNodes * nHeads).fill(-Infinity);
  for (let e = 0; e < nEdges; e++) {
    const base = dst[e] * nHeads;
    for (let h = 0; h < nHeads; h++) {
      const v = values[e * nHeads + h];
      if (v > max[base + h]) max[base + h] = v;
    }
  }
  const shift = new Float32Array(nEdges * nHeads);
  for (let e = 0; e < nEdges; e++) {
    const base = dst[e] * nHeads;
    for (let h = 0; h < nHeads; h++) shift[e * nHeads + h] = max[base + h];
  }
  return tf.tensor2d(shift, [nEdges, nHeads]);
}

/**
 * α [E, H] from logits [E, H]: the softmax of each head's logits over the edges sharing a destination, by the
 * fused kernel pair (ml/kernels/fused-segment-softmax.ts) where the backend has it, else the stock ops.
 * `dst` is given both as a tensor (for gather/segment sum) and as host values (for the max shift).
 */
export function segmentSoftmax(logits: tf.Tensor2D, dst: tf.Tensor1D, dstValues: Int32Array, nNodes: number): tf.Tensor2D {
  if (!fusedKernelActive('ParzenSegmentSoftmax')) return segmentSoftmaxStock(logits, dst, dstValues, nNodes);
  const attrs = { numSegments: nNodes };
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, ids, save] = inputs as [tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
    const alpha = runFused('ParzenSegmentSoftmax', { logits: x, segmentIds: ids }, attrs)[0];
    saveShared(save, [alpha, ids]);
    return {
      value: alpha,
      gradFunc: (dAlpha: tf.Tensor, saved: tf.Tensor[]) => {
        const [a, i] = saved as [tf.Tensor, tf.Tensor1D];
        return [runFused('ParzenSegmentSoftmaxGrad', { dAlpha, alpha: a, segmentIds: i }, attrs)[0], tf.zerosLike(i)];
      },
    };
  });
  return f(logits, dst) as tf.Tensor2D;
}

/** The stock-op form (host max shift, Exp, segment sum, gather, RealDiv), what the fused kernels are checked against. */
export function segmentSoftmaxStock(logits: tf.Tensor2D, dst: tf.Tensor1D, dstValues: Int32Array, nNodes: number): tf.Tensor2D {
  return tf.tidy(() => {
    const shifted = tf.sub(logits, segmentMaxShift(logits, dstValues, nNodes)) as tf.Tensor2D;
    const ex = tf.exp(shifted) as tf.Tensor2D;
    const denom = segmentSum(ex, dst, dstValues, nNodes);
    // Every node has a self-loop (see batching.ts), so each destination's denominator is ≥ exp(0) = 1.
    return tf.div(ex, gatherRows(denom, dst, dstValues)) as tf.Tensor2D;
  });
}
