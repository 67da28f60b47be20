import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../errors.js';
import { fusedKernelActive, runFused } from './fused.js';
import { saveShared } from './shared-save.js';

/**
 * Gather and segment-sum with hand-written gradients. They are each other's adjoint:
 * ∂/∂x gather(x, idx) applied to dy is segmentSum(dy, idx, rows), and ∂/∂x segmentSum(x, ids, n) applied to
 * dy is gather(dy, ids). Two reasons not to use tfjs' own:
 * - the wasm backend's GatherV2 kernel copies element by element: gathering 3720 rows of 384 floats takes
 *   ~55 ms of CPU, a row-wise copy on the host ~6 ms (wasm tensors live in host memory, so reading one is a
 *   memcpy). The indices are known on the host already (batching.ts builds them), so rows are copied with
 *   `Float32Array.set` and the result uploaded.
 * - tfjs' UnsortedSegmentSum gradient masks negative ids with a `ones(bool)` tensor of the full gradient
 *   shape, a LogicalAnd and a Select; our ids are never negative, so that mask is dead weight.
 */

/**
 * Rows `idx` of `x` [rows, D], copied on the host; bounds-checked, since a bad index would copy short. The fused
 * kernel (fused-gather-rows.ts) copies straight into the output's buffer; without it the rows go through a JS copy.
 */
function hostGatherRows(x: tf.Tensor, idxTensor: tf.Tensor1D, idx: Int32Array): tf.Tensor2D {
  if (fusedKernelActive('ParzenGatherRows')) return runFused('ParzenGatherRows', { x, indices: idxTensor })[0] as tf.Tensor2D;
  const [rows, D] = x.shape;
  const values = x.dataSync() as Float32Array;
  const out = new Float32Array(idx.length * D);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    if (!(i >= 0 && i < rows)) {
      throw new TrainingError(`gatherRows: index ${i} at position ${r} is outside [0, ${rows}); the batch's graph indices are corrupt`, { code: 'SHAPE' });
    }
    // An element loop: a subarray per row would be a new JS object per row (garbage for the scavenger).
    for (let j = 0, src = i * D, dst = r * D; j < D; j++) out[dst + j] = values[src + j];
  }
  return tf.tensor2d(out, [idx.length, D]);
}

type IndexedOp = (x: tf.Tensor, index: tf.Tensor1D) => { value: tf.Tensor; grad: (dy: tf.Tensor, index: tf.Tensor1D) => tf.Tensor };

/** Wraps a (tensor, index) → tensor op whose gradient needs only the index as a tfjs custom gradient. */
function withIndexGrad(op: IndexedOp): (x: tf.Tensor2D, index: tf.Tensor1D) => tf.Tensor2D {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, index, save] = inputs as [tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
    // Saved, not captured: the engine keeps saved tensors alive until the backward pass runs.
    saveShared(save, [index]);
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
 * `idxValues` are the same indices on the host.
 * @example gatherRows(nodeStates, g.src, batch.src) // [E, D]
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D, idxValues: Int32Array): tf.Tensor2D {
  const rows = x.shape[0];
  return withIndexGrad((xIn, i) => ({
    value: hostGatherRows(xIn, i, idxValues),
    grad: (dy, saved) => tf.unsortedSegmentSum(dy, saved, rows),
  }))(x, idx);
}

/**
 * Σ over rows of `x` [E, D] sharing an id → [n, D]; the gradient gathers dy back to each row.
 * @example segmentSum(messages, g.dst, batch.dst, nNodes) // [N, D]
 */
export function segmentSum(x: tf.Tensor2D, ids: tf.Tensor1D, idValues: Int32Array, n: number): tf.Tensor2D {
  return withIndexGrad((xIn, i) => ({
    value: tf.unsortedSegmentSum(xIn, i, n),
    grad: (dy, saved) => hostGatherRows(dy, saved, idValues),
  }))(x, ids);
}

/**
 * Embedding lookup: rows `ids` of `table` [V, D] → [len(ids), D], copied on the host; the gradient scatters dy
 * back into [V, D] with the wasm segment-sum kernel (kernels/unsorted-segment-sum.ts, one pass). tfjs' GatherV2
 * on wasm copies element by element. Ids outside [0, V) are a TrainingError naming the position.
 * @example embeddingLookup(wte, batch.tokens) // [B·T, C]
 */
export function embeddingLookup(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  return gatherRows(table, tf.tensor1d(ids, 'int32'), ids);
}
