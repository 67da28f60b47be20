/**
 * How a batch is cut among data-parallel replicas: replica `rank` of `nShares` takes the contiguous range
 * [⌊rank·n/nShares⌋, ⌊(rank+1)·n/nShares⌋) of the batch's n examples, so shares differ by at most one example
 * and together cover the batch exactly once. Every replica draws the whole batch (same seed, same order) and keeps
 * its range, so the union of the shares is the batch one worker would have trained on.
 */

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
