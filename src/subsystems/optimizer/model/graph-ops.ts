import * as tf from '@tensorflow/tfjs-core';

/**
 * Gather and segment-sum with hand-written gradients. They are each other's adjoint:
 * ∂/∂x gather(x, idx) applied to dy is segmentSum(dy, idx, rows), and ∂/∂x segmentSum(x, ids, n) applied to
 * dy is gather(dy, ids). tfjs' built-in gradients do the same maths through extra ops — GatherV2's adds two
 * transposes, UnsortedSegmentSum's masks negative ids with a `ones(bool)` tensor of the full gradient shape, a
 * LogicalAnd and a Select, which on wasm cost as much as the segment sums themselves. Our indices are never
 * negative (batching.ts builds them), so the mask is dead weight.
 */

type IndexedOp = (x: tf.Tensor, index: tf.Tensor1D) => { value: tf.Tensor; grad: (dy: tf.Tensor, index: tf.Tensor1D) => tf.Tensor };

/** Wraps a (tensor, index) → tensor op whose gradient needs only the index as a tfjs custom gradient. */
function withIndexGrad(op: IndexedOp): (x: tf.Tensor2D, index: tf.Tensor1D) => tf.Tensor2D {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, index, save] = inputs as [tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
    // Saved, not captured: the engine keeps saved tensors alive until the backward pass runs.
    save([index]);
    const { value, grad } = op(x, index);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [grad(dy, saved[0] as tf.Tensor1D), tf.zerosLike(saved[0])],
    };
  });
  return (x, index) => f(x, index) as tf.Tensor2D;
}

/**
 * Rows `idx` of `x` [rows, D] → [len(idx), D]; the gradient scatters back with a segment sum.
 * @example gatherRows(nodeStates, srcOfEachEdge) // [E, D]
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const rows = x.shape[0];
  return withIndexGrad((xIn, i) => ({
    value: tf.gather(xIn, i),
    grad: (dy, saved) => tf.unsortedSegmentSum(dy, saved, rows),
  }))(x, idx);
}

/**
 * Σ over rows of `x` [E, D] sharing an id → [n, D]; the gradient gathers dy back to each row.
 * @example segmentSum(messages, dstOfEachEdge, nNodes) // [N, D]
 */
export function segmentSum(x: tf.Tensor2D, ids: tf.Tensor1D, n: number): tf.Tensor2D {
  return withIndexGrad((xIn, i) => ({
    value: tf.unsortedSegmentSum(xIn, i, n),
    grad: (dy, saved) => tf.gather(dy, saved),
  }))(x, ids);
}
