/**
 * Exact nearest-neighbour search over corpus embeddings: every query scored against every document by inner
 * product of unit vectors (cosine), the top k kept. Imports TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs-core';
import { padBatch } from '../model/batch.js';
import type { DenseRetriever } from '../model/retriever.js';
import type { Hit } from './top-k.js';

/** Unit embeddings [texts.length, outputDim] as one flat Float32Array, encoded `chunk` texts at a time. */
export function embedAll(model: DenseRetriever, texts: readonly Int32Array[], chunk = 256): Float32Array {
  const d = model.config.outputDim;
  const out = new Float32Array(texts.length * d);
  for (let i = 0; i < texts.length; i += chunk) {
    const part = texts.slice(i, i + chunk);
    out.set(tf.tidy(() => model.embed(padBatch(part)).dataSync()), i * d);
  }
  return out;
}

/** Embeddings of a corpus, ready to search. */
export class DenseIndex {
  readonly nDocs: number;
  readonly dim: number;
  readonly #docsT: tf.Tensor2D;

  constructor(embeddings: Float32Array, dim: number) {
    this.dim = dim;
    this.nDocs = embeddings.length / dim;
    // Stored transposed once, so each search is a plain [q, d]·[d, N] product (no transpose flag on wasm).
    this.#docsT = tf.tidy(() => tf.transpose(tf.tensor2d(embeddings, [this.nDocs, dim])));
  }

  /** The k best documents of each query embedding (rows of `queries`), best first. */
  search(queries: Float32Array, k: number, chunk = 256): Hit[][] {
    const nq = queries.length / this.dim;
    const kk = Math.min(k, this.nDocs);
    const out: Hit[][] = [];
    for (let i = 0; i < nq; i += chunk) {
      const m = Math.min(chunk, nq - i);
      const [values, indices] = tf.tidy(() => {
        const q = tf.tensor2d(queries.subarray(i * this.dim, (i + m) * this.dim), [m, this.dim]);
        const r = tf.topk(tf.matMul(q, this.#docsT), kk, true);
        return [r.values.dataSync(), r.indices.dataSync()];
      });
      for (let r = 0; r < m; r++) out.push(Array.from({ length: kk }, (_, j) => ({ doc: indices[r * kk + j], score: values[r * kk + j] })));
    }
    return out;
  }

  dispose(): void {
    this.#docsT.dispose();
  }
}
