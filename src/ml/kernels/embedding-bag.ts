import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';

/**
 * Weighted bags of table rows: bag b is Σ_{r ∈ [start[b], start[b+1])} scale[r] · table[rows[r]], and output row t
 * is bag `bagOf[t]` (so a bag read at many positions, a word that recurs in a batch, is summed once).
 */
export interface EmbeddingBags {
  readonly rows: Int32Array;
  readonly scale: Float32Array;
  /** nBags + 1 offsets into rows/scale. */
  readonly start: Int32Array;
  readonly bagOf: Int32Array;
}

/** The table's values without a copy on wasm (its tensors live in the wasm heap); a copy elsewhere. */
function hostValues(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm') return (tf.backend() as unknown as BackendWasm).typedArrayFromHeap(t) as Float32Array;
  return t.dataSync() as Float32Array;
}

function checkRows(rows: Int32Array, nRows: number): void {
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!(i >= 0 && i < nRows)) throw new TrainingError(`embeddingBag: row ${i} at entry ${r} is outside the table [0, ${nRows}); the bags are corrupt`, { code: 'SHAPE' });
  }
}

/** Σ scale·row for every bag, then each output row copied from its bag: [bagOf.length, D]. */
function forward(values: Float32Array, d: number, b: EmbeddingBags): Float32Array {
  const nBags = b.start.length - 1;
  const bags = new Float32Array(nBags * d);
  for (let g = 0; g < nBags; g++) {
    const dst = g * d;
    for (let r = b.start[g]; r < b.start[g + 1]; r++) {
      const src = b.rows[r] * d;
      const s = b.scale[r];
      for (let j = 0; j < d; j++) bags[dst + j] += s * values[src + j];
    }
  }
  const out = new Float32Array(b.bagOf.length * d);
  for (let t = 0; t < b.bagOf.length; t++) out.set(bags.subarray(b.bagOf[t] * d, b.bagOf[t] * d + d), t * d);
  return out;
}

/** The adjoint: dy summed per bag, then scattered into a zero [nRows, D] gradient with each entry's scale. */
function backward(dy: Float32Array, nRows: number, d: number, b: EmbeddingBags): Float32Array {
  const nBags = b.start.length - 1;
  const dBags = new Float32Array(nBags * d);
  for (let t = 0; t < b.bagOf.length; t++) {
    const dst = b.bagOf[t] * d;
    const src = t * d;
    for (let j = 0; j < d; j++) dBags[dst + j] += dy[src + j];
  }
  const grad = new Float32Array(nRows * d);
  for (let g = 0; g < nBags; g++) {
    const src = g * d;
    for (let r = b.start[g]; r < b.start[g + 1]; r++) {
      const dst = b.rows[r] * d;
      const s = b.scale[r];
      for (let j = 0; j < d; j++) grad[dst + j] += s * dBags[src + j];
    }
  }
  return grad;
}

/**
 * Embedding bags (PyTorch's nn.EmbeddingBag with per-entry weights, plus a bag index per output row) on the host,
 * with the hand-written gradient: one pass over the bags' rows each way, no gather kernel, no segment sum over the
 * whole table in float64. On wasm the table is read in place. Rows outside the table are a TrainingError.
 * @example embeddingBag(embedding, formBags(batch.ids, subwords)) // [n·T, D]
 */
export function embeddingBag(table: tf.Tensor2D, bags: EmbeddingBags): tf.Tensor2D {
  const [nRows, d] = table.shape;
  checkRows(bags.rows, nRows);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const out = forward(hostValues(inputs[0] as tf.Tensor), d, bags);
    return {
      value: tf.tensor2d(out, [bags.bagOf.length, d]),
      gradFunc: (dy: tf.Tensor) => [tf.tensor2d(backward(dy.dataSync() as Float32Array, nRows, d, bags), [nRows, d])],
    };
  });
  return f(table) as tf.Tensor2D;
}
