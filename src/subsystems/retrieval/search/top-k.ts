/** Top-k selection over a score array, shared by BM25 and the exact dense search. */

export interface Hit {
  /** Index into the corpus. */
  readonly doc: number;
  readonly score: number;
}

/**
 * The `k` highest scores, best first; ties go to the lower index so rankings are deterministic. A bounded
 * insertion list: O(n·k) worst case, O(n) for the usual k ≤ 100 over scores that rarely enter the list.
 */
export function topK(scores: ArrayLike<number>, k: number, o: { positiveOnly?: boolean; offset?: number; length?: number } = {}): Hit[] {
  const start = o.offset ?? 0;
  const end = start + (o.length ?? scores.length - start);
  const best: Hit[] = [];
  for (let i = start; i < end; i++) {
    const s = scores[i];
    if (o.positiveOnly === true && !(s > 0)) continue;
    if (best.length === k) {
      if (k === 0 || s <= best[k - 1].score) continue;
      best.pop();
    }
    let j = best.length;
    while (j > 0 && best[j - 1].score < s) j--;
    best.splice(j, 0, { doc: i - start, score: s });
  }
  return best;
}
