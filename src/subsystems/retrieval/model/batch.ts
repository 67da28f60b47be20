/** Padded token batches: what the encoder reads. Plain arrays, no TensorFlow.js, so batching is testable alone. */
import { PAD_ID } from '../dataset/vocab.js';

/** `n` texts padded to `len` tokens, row-major; `mask` is 1 on real tokens, 0 on padding. */
export interface TextBatch {
  readonly n: number;
  readonly len: number;
  readonly ids: Int32Array;
  readonly mask: Float32Array;
}

/** A training or validation step: query i's positive is positives row i; every other row is a negative for it. */
export interface TripleBatch {
  readonly queries: TextBatch;
  readonly positives: TextBatch;
  readonly negatives: TextBatch;
}

/** Pads `texts` (already truncated token ids) to the longest of them. */
export function padBatch(texts: readonly Int32Array[]): TextBatch {
  const len = Math.max(1, ...texts.map((t) => t.length));
  const ids = new Int32Array(texts.length * len).fill(PAD_ID);
  const mask = new Float32Array(texts.length * len);
  texts.forEach((t, i) => {
    ids.set(t, i * len);
    mask.fill(1, i * len, i * len + t.length);
  });
  return { n: texts.length, len, ids, mask };
}
