/**
 * Exact expected best values of non-adaptive searches over a lookup table (scripts/bench/broad-ties.ts): what
 * random search gets from a discrete distribution over cells, and what n distinct cells drawn uniformly get.
 */

/** E[min] and P(min = f*) of n i.i.d. draws from a discrete distribution of values. */
export function bestOfIid(values: readonly number[], probs: readonly number[], n: number, fStar: number): { mean: number; pStar: number } {
  const order = values.map((v, i) => ({ v, p: probs[i] })).sort((a, b) => b.v - a.v);
  // S = P(value ≥ v) accumulated from the top: P(min = v_k) = P(all ≥ v_k) − P(all > v_k).
  let above = 0;
  let mean = 0;
  for (const { v, p } of order) {
    const geq = above + p;
    mean += v * (geq ** n - above ** n);
    above = geq;
  }
  const pStar = 1 - (1 - probs.reduce((s, p, i) => s + (values[i] === fStar ? p : 0), 0)) ** n;
  return { mean, pStar };
}

/** E[min] and P(min = f*) of n distinct cells drawn uniformly without replacement from `values`. */
export function bestOfDistinct(values: readonly number[], n: number, fStar: number): { mean: number; pStar: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length;
  // P(min is the k-th smallest) = C(m−k−1, n−1) / C(m, n), computed as a running ratio.
  let mean = 0;
  let pk = n / m;
  for (let k = 0; k <= m - n; k++) {
    mean += sorted[k] * pk;
    pk *= (m - k - n) / (m - k - 1);
  }
  const nStar = sorted.filter((v) => v === fStar).length;
  let pNone = 1;
  for (let i = 0; i < n; i++) pNone *= (m - nStar - i) / (m - i);
  return { mean, pStar: 1 - pNone };
}
