/**
 * How a batch is cut among data-parallel replicas. Every replica draws the whole batch (same seed, same order) and
 * keeps its share, so the union of the shares is the batch one worker would have trained on; each share's gradient
 * is weighted by its example count in the replicas' mean (the loss is a mean over examples), so how the examples are
 * spread over the shares changes only the float summation order, never the mean.
 *
 * Two cuts:
 * - `shareOf`: replica `rank` of `nShares` takes the contiguous range [⌊rank·n/nShares⌋, ⌊(rank+1)·n/nShares⌋),
 *   so shares differ by at most one example. Right when examples cost the same (the cllm's fixed-length windows).
 * - `shareByWork`: examples of unequal cost (circuits of different sizes) go to the replica with the least work so
 *   far, largest first (Graham's LPT rule, "Bounds on multiprocessing timing anomalies", 1969: the busiest share
 *   is within 4/3 of the best possible; exact for 4 examples on 2 shares), so no replica waits long at the barrier.
 */

import { ConfigError } from '../../errors.js';

/** Which replica this is, of how many (plain data; crosses to worker threads). */
export interface ShareOf {
  readonly rank: number;
  readonly nShares: number;
}

/** One replica's share of a training batch: null when the share is empty (a batch shorter than nShares). */
export interface Share<B> {
  readonly batch: B | null;
  /** Examples in the share: the weight of its gradient in the replicas' mean. */
  readonly examples: number;
}

/** The [start, end) of replica `s.rank`'s share of `n` examples. */
export function shareRange(n: number, s: ShareOf): readonly [number, number] {
  return [Math.floor((s.rank * n) / s.nShares), Math.floor(((s.rank + 1) * n) / s.nShares)];
}

/** Replica `s.rank`'s slice of a batch's examples (e.g. its window offsets or circuit indices). */
export function shareOf<T>(items: readonly T[], s: ShareOf): T[] {
  const [lo, hi] = shareRange(items.length, s);
  return items.slice(lo, hi);
}

/**
 * Which share each example goes to when the batch is cut by work: `work[i]` is example i's cost (e.g. a circuit's
 * nodes + edges), finite and > 0. Examples are taken largest first (ties: lower index first) and each goes to the
 * share with the least work so far (ties: lower rank), so the cut depends only on the work values: every replica
 * computes the same one. With at least `nShares` examples no share is empty.
 * @example assignByWork([5, 1, 1, 3], 2) // [0, 1, 1, 1]: shares of work 5 and 5
 */
export function assignByWork(work: readonly number[], nShares: number): Int32Array {
  if (!Number.isInteger(nShares) || nShares < 1) throw new ConfigError(`shares: nShares must be an integer ≥ 1, got ${nShares}`);
  work.forEach((w, i) => {
    if (!(Number.isFinite(w) && w > 0)) throw new ConfigError(`shares: work[${i}] must be a finite number > 0, got ${w}`);
  });
  const order = work.map((_, i) => i).sort((a, b) => work[b] - work[a] || a - b);
  const load = new Float64Array(nShares);
  const owner = new Int32Array(work.length);
  for (const i of order) {
    let best = 0;
    for (let r = 1; r < nShares; r++) if (load[r] < load[best]) best = r;
    owner[i] = best;
    load[best] += work[i];
  }
  return owner;
}

/**
 * Replica `s.rank`'s examples of a batch cut by work (`assignByWork`), in the batch's order.
 * @example shareByWork(['a', 'b', 'c', 'd'], [5, 1, 1, 3], { rank: 1, nShares: 2 }) // ['b', 'c', 'd']
 */
export function shareByWork<T>(items: readonly T[], work: readonly number[], s: ShareOf): T[] {
  if (work.length !== items.length) throw new ConfigError(`shares: ${work.length} work values for ${items.length} examples; give one per example`);
  if (!Number.isInteger(s.rank) || s.rank < 0 || s.rank >= s.nShares) throw new ConfigError(`shares: rank ${s.rank} is outside 0..${s.nShares - 1}`);
  const owner = assignByWork(work, s.nShares);
  return items.filter((_, i) => owner[i] === s.rank);
}
