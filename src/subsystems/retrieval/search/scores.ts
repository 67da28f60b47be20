/**
 * The figures every retrieval system is scored by, on the same queries: Recall@{1,5,10,100} keyed by the requested
 * K, MRR@10 and nDCG@10 with trec_eval's definitions (ml/metrics/ranking.ts).
 */
import { meanReciprocalRank, ndcgAtK, recallAtK, type RankedQuery } from '../../../ml/metrics/ranking.js';

export const RECALL_KS = [1, 5, 10, 100] as const;
/** How deep every system ranks (the largest K any figure reads). */
export const RANK_DEPTH = 100;

export type RetrievalScores = Readonly<Record<string, number>>;

/** `{ mrr_at_10, ndcg_at_10, recall_at_1, …, recall_at_100 }` of ranked results. */
export function scoreRankings(queries: readonly RankedQuery[]): RetrievalScores {
  const out: Record<string, number> = { mrr_at_10: meanReciprocalRank(queries, 10), ndcg_at_10: ndcgAtK(queries, 10) };
  for (const k of RECALL_KS) out[`recall_at_${k}`] = recallAtK(queries, k);
  return out;
}
