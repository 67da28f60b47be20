/**
 * Okapi BM25 over an inverted index, in TypeScript (Robertson & Zaragoza 2009, "The Probabilistic Relevance
 * Framework: BM25 and Beyond", eq. 3.23 with Lucene's non-negative idf):
 *   score(q, d) = Σ_{t ∈ q} idf(t) · tf(t,d)·(k1 + 1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl)),
 *   idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5)).
 * Terms are `words()` of the text, the same units the encoder's tokenizer uses.
 */
import { ConfigError } from '../../../errors.js';
import { words } from '../dataset/text.js';
import { topK, type Hit } from './top-k.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 0.9, Anserini's default). */
  readonly k1?: number;
  /** Length normalisation in [0, 1] (default 0.4, Anserini's default). */
  readonly b?: number;
}

interface Posting {
  readonly docs: Int32Array;
  readonly tfs: Float32Array;
}

/**
 * @example
 * const index = new Bm25Index(corpus.map((d) => d.text), { k1: 0.9, b: 0.4 });
 * index.search('white whale', 10) // [{ doc: 17, score: 9.3 }, …]
 */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly nDocs: number;
  readonly #postings = new Map<string, Posting>();
  readonly #norm: Float32Array;

  constructor(texts: readonly string[], o: Bm25Options = {}) {
    this.k1 = o.k1 ?? 0.9;
    this.b = o.b ?? 0.4;
    if (!(Number.isFinite(this.k1) && this.k1 >= 0)) throw new ConfigError(`bm25 k1: must be a finite number ≥ 0, got ${this.k1}`);
    if (!(this.b >= 0 && this.b <= 1)) throw new ConfigError(`bm25 b: must be in [0, 1], got ${this.b}`);
    this.nDocs = texts.length;
    const lengths = new Float32Array(texts.length);
    const lists = new Map<string, { docs: number[]; tfs: number[] }>();
    texts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
      lengths[doc] = [...counts.values()].reduce((a, c) => a + c, 0);
      for (const [w, c] of counts) {
        let l = lists.get(w);
        if (l === undefined) lists.set(w, (l = { docs: [], tfs: [] }));
        l.docs.push(doc);
        l.tfs.push(c);
      }
    });
    for (const [w, l] of lists) this.#postings.set(w, { docs: Int32Array.from(l.docs), tfs: Float32Array.from(l.tfs) });
    const avgdl = lengths.reduce((a, x) => a + x, 0) / Math.max(1, texts.length) || 1;
    // The per-document part of the denominator, k1·(1 − b + b·|d|/avgdl), computed once.
    this.#norm = lengths.map((len) => this.k1 * (1 - this.b + (this.b * len) / avgdl));
  }

  idf(term: string): number {
    const df = this.#postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.nDocs - df + 0.5) / (df + 0.5));
  }

  /** BM25 score of every document for `query` (0 for documents sharing no term). Repeated query terms count once per occurrence. */
  scores(query: string): Float64Array {
    const out = new Float64Array(this.nDocs);
    for (const term of words(query)) {
      const p = this.#postings.get(term);
      if (p === undefined) continue;
      const idf = this.idf(term);
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        const tf = p.tfs[i];
        out[d] += (idf * tf * (this.k1 + 1)) / (tf + this.#norm[d]);
      }
    }
    return out;
  }

  /** The `k` best documents with a positive score, best first (ties: lower index first). */
  search(query: string, k: number): Hit[] {
    return topK(this.scores(query), k, { positiveOnly: true });
  }
}
