/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009, "Reciprocal Rank Fusion outperforms Condorcet and
 * individual Rank Learning Methods"): score(d) = Σ_s w_s / (k + rank_s(d)), rank from 1, k = 60 in the paper,
 * every w_s = 1 there. A document missing from a system's list gets nothing from it. Also score interpolation. The
 * hybrid's weight between BM25 and dense is chosen on the validation split (`chooseFusionWeight`), never on test.
 */
import { ConfigError } from '../../../errors.js';
import type { Hit } from './top-k.js';

/**
 * @example reciprocalRankFusion([bm25Hits, denseHits], { k: 60, depth: 10, weights: [0.7, 0.3] })
 */
export function reciprocalRankFusion(lists: ReadonlyArray<readonly Hit[]>, o: { k?: number; depth: number; weights?: readonly number[] }): Hit[] {
  const k = o.k ?? 60;
  if (!(Number.isFinite(k) && k >= 0)) throw new ConfigError(`rrf k: must be a finite number ≥ 0, got ${k}`);
  const weights = o.weights ?? lists.map(() => 1);
  if (weights.length !== lists.length || !weights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new ConfigError(`rrf weights: give one finite weight ≥ 0 per ranked list (${lists.length}), got ${JSON.stringify(weights)}`);
  }
  const fused = new Map<number, number>();
  lists.forEach((list, s) => list.forEach((h, i) => fused.set(h.doc, (fused.get(h.doc) ?? 0) + weights[s] / (k + i + 1))));
  return [...fused.entries()]
    .map(([doc, score]) => ({ doc, score }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, o.depth);
}

/**
 * Score interpolation (the hybrid of Ma et al. 2021, "A Replication Study of Dense Passage Retriever", as in
 * Pyserini): each list's scores min–max normalised to [0, 1] over its own hits, a document missing from a list
 * scored 0 there, then fused = Σ_s w_s · norm_s(d). Unlike RRF it keeps how far apart the scores are, so a weak
 * list with a small weight only reorders near-ties of the strong one.
 * @example interpolateScores([bm25Hits, denseHits], { depth: 100, weights: [0.8, 0.2] })
 */
export function interpolateScores(lists: ReadonlyArray<readonly Hit[]>, o: { depth: number; weights: readonly number[] }): Hit[] {
  if (o.weights.length !== lists.length || !o.weights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new ConfigError(`fusion weights: give one finite weight ≥ 0 per ranked list (${lists.length}), got ${JSON.stringify(o.weights)}`);
  }
  const fused = new Map<number, number>();
  lists.forEach((list, s) => {
    if (list.length === 0) return;
    const hi = Math.max(...list.map((h) => h.score));
    const lo = Math.min(...list.map((h) => h.score));
    const span = hi - lo;
    for (const h of list) fused.set(h.doc, (fused.get(h.doc) ?? 0) + o.weights[s] * (span > 0 ? (h.score - lo) / span : 1));
  });
  return [...fused.entries()]
    .map(([doc, score]) => ({ doc, score }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, o.depth);
}

/** The weights of BM25 against dense tried on validation: w ∈ {0, 0.05, …, 1} for BM25, 1 − w for dense. */
export const FUSION_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

export type FusionMethod = 'rrf' | 'interpolation';

/** BM25 and dense hits of every query fused with BM25 weight `w` (dense 1 − w). */
export function fuseAll(bm25: ReadonlyArray<readonly Hit[]>, dense: ReadonlyArray<readonly Hit[]>, w: number, o: { method: FusionMethod; k: number; depth: number }): Hit[][] {
  const weights = [w, 1 - w];
  return bm25.map((b, i) => (o.method === 'rrf' ? reciprocalRankFusion([b, dense[i]], { k: o.k, depth: o.depth, weights }) : interpolateScores([b, dense[i]], { depth: o.depth, weights })));
}

/**
 * The BM25 weight w (dense gets 1 − w) of the grid point whose fused validation rankings score best by `score`
 * (ties: the larger w, nearer plain BM25). Choose on validation, apply on test.
 * @example chooseFusionWeight(valBm25, valDense, (hits) => mrr10(hits), { method: 'interpolation', k: 60, depth: 100 })
 */
export function chooseFusionWeight(bm25: ReadonlyArray<readonly Hit[]>, dense: ReadonlyArray<readonly Hit[]>, score: (fused: Hit[][]) => number, o: { method: FusionMethod; k: number; depth: number }): { weight: number; value: number } {
  let best = { weight: 1, value: Number.NEGATIVE_INFINITY };
  for (const w of FUSION_GRID) {
    const value = score(fuseAll(bm25, dense, w, o));
    if (value >= best.value) best = { weight: w, value };
  }
  return best;
}
