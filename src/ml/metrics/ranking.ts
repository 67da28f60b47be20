/**
 * Ranking metrics for retrieval: each takes, per query, the ranked ids a model returned and the set of
 * relevant ids, and averages over queries. They are keyed by the k the caller asked for, never by how many
 * results came back: a query with fewer than k results simply has fewer chances to hit (the reference
 * project reported Recall@10 under the key of the effective k when fewer documents returned).
 */
import { ConfigError } from '../../errors.js';

/** One query's outcome: ids in rank order (best first) and the ids that are relevant to it. */
export interface RankedQuery {
  readonly ranked: readonly (string | number)[];
  readonly relevant: ReadonlySet<string | number>;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`ranking metric: k must be a positive integer, got ${k}`);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Recall@k: the fraction of each query's relevant ids found in its top k, averaged over queries. */
export function recallAtK(queries: readonly RankedQuery[], k: number): number {
  checkK(k);
  return mean(queries.filter((q) => q.relevant.size > 0).map((q) => q.ranked.slice(0, k).filter((id) => q.relevant.has(id)).length / q.relevant.size));
}

/** Mean reciprocal rank of the first relevant id (0 for a query with none in its top k; k = ∞ by default). */
export function meanReciprocalRank(queries: readonly RankedQuery[], k = Number.POSITIVE_INFINITY): number {
  if (k !== Number.POSITIVE_INFINITY) checkK(k);
  return mean(
    queries.map((q) => {
      const i = q.ranked.slice(0, Math.min(k, q.ranked.length)).findIndex((id) => q.relevant.has(id));
      return i < 0 ? 0 : 1 / (i + 1);
    }),
  );
}

/**
 * nDCG@k with binary relevance (Järvelin & Kekäläinen 2002): DCG = Σ rel_i / log2(i + 2) over the top k,
 * divided by the DCG of an ideal ranking of the query's relevant ids.
 */
export function ndcgAtK(queries: readonly RankedQuery[], k: number): number {
  checkK(k);
  return mean(
    queries
      .filter((q) => q.relevant.size > 0)
      .map((q) => {
        let dcg = 0;
        q.ranked.slice(0, k).forEach((id, i) => {
          if (q.relevant.has(id)) dcg += 1 / Math.log2(i + 2);
        });
        let ideal = 0;
        for (let i = 0; i < Math.min(k, q.relevant.size); i++) ideal += 1 / Math.log2(i + 2);
        return dcg / ideal;
      }),
  );
}
