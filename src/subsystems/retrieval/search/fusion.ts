/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009, "Reciprocal Rank Fusion outperforms Condorcet and
 * individual Rank Learning Methods"): score(d) = Σ_s 1 / (k + rank_s(d)), rank from 1, k = 60 in the paper.
 * A document missing from a system's list gets nothing from it.
 */
import { ConfigError } from '../../../errors.js';
import type { Hit } from './top-k.js';

/**
 * @example reciprocalRankFusion([bm25Hits, denseHits], { k: 60, depth: 10 })
 */
export function reciprocalRankFusion(lists: ReadonlyArray<readonly Hit[]>, o: { k?: number; depth: number }): Hit[] {
  const k = o.k ?? 60;
  if (!(Number.isFinite(k) && k >= 0)) throw new ConfigError(`rrf k: must be a finite number ≥ 0, got ${k}`);
  const fused = new Map<number, number>();
  for (const list of lists) list.forEach((h, i) => fused.set(h.doc, (fused.get(h.doc) ?? 0) + 1 / (k + i + 1)));
  return [...fused.entries()]
    .map(([doc, score]) => ({ doc, score }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, o.depth);
}
