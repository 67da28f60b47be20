/**
 * Ranking the study's trials and splitting them into the "good" (below) and "bad" (above) groups, after
 * Optuna 3.1 `_get_observation_pairs` and `_split_observation_pairs`.
 */
import type { Distribution, ParamValue } from '../../space/distributions.js';
import type { FrozenTrial, StudyDirection } from '../../core/frozen.js';

/** The trials TPE learns from, in trial-number order, and which of them are in the good group. */
export interface SplitTrials {
  readonly trials: readonly FrozenTrial[];
  /** 1 where trials[i] is in the good (below) group. */
  readonly isBelow: Uint8Array;
  /** COMPLETE and PRUNED trials among them (RUNNING ones under the constant liar are not counted). */
  readonly nFinished: number;
  /** The value of each COMPLETE trial as a loss (negated when maximising); NaN for the others. */
  readonly losses: Float64Array;
}

/**
 * A trial's rank key (lower is better), compared as (step, value):
 * COMPLETE → (-∞, ±value); PRUNED → (-last step, ±value at that step), so trials pruned later rank ahead of
 * those pruned earlier, all behind every complete trial; PRUNED with no reports → (1, 0); RUNNING under the
 * constant liar → (+∞, +∞), the worst possible. ± makes maximisation a minimisation. null: not used.
 */
export function rankKey(t: FrozenTrial, sign: number, constantLiar: boolean): [number, number] | null {
  if (t.state === 'COMPLETE') return t.value === null ? null : [-Infinity, sign * t.value];
  if (t.state === 'PRUNED') {
    if (t.intermediateValues.size === 0) return [1, 0];
    let step = -Infinity;
    for (const s of t.intermediateValues.keys()) if (s > step) step = s;
    const v = t.intermediateValues.get(step) as number;
    return [-step, Number.isNaN(v) ? Infinity : sign * v];
  }
  if (t.state === 'RUNNING' && constantLiar) return [Infinity, Infinity];
  return null;
}

export interface SplitOptions {
  readonly direction: StudyDirection;
  readonly constantLiar: boolean;
  /** Size of the good group given the number of finished trials. */
  readonly nBelow: (nFinished: number) => number;
  /** The trial being sampled: never an observation of itself. */
  readonly exclude: number;
}

/**
 * Ranks the usable trials by `rankKey` (stable, so ties keep trial order) and marks the best `nBelow(n)` as
 * good. Trials keep their number order in the result: kernel weights ramp with age, not with rank.
 */
export function splitTrials(trials: readonly FrozenTrial[], o: SplitOptions): SplitTrials {
  const sign = o.direction === 'minimize' ? 1 : -1;
  const used: FrozenTrial[] = [];
  const steps = new Float64Array(trials.length);
  const values = new Float64Array(trials.length);
  let nFinished = 0;
  for (const t of trials) {
    if (t.number === o.exclude) continue;
    const key = rankKey(t, sign, o.constantLiar);
    if (key === null) continue;
    steps[used.length] = key[0];
    values[used.length] = key[1];
    used.push(t);
    if (t.state !== 'RUNNING') nFinished++;
  }
  const n = used.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Ties keep trial order (the index as last key), as numpy's stable argsort does: a strict total order, so the k
  // best are one set however they are found. Only that set matters, so it is selected in O(n), not sorted.
  const less = (a: number, b: number): boolean =>
    steps[a] < steps[b] || (steps[a] === steps[b] && (values[a] < values[b] || (values[a] === values[b] && a < b)));
  const isBelow = new Uint8Array(n);
  const k = Math.min(o.nBelow(nFinished), n);
  selectBest(order, k, less);
  for (let i = 0; i < k; i++) isBelow[order[i]] = 1;
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) losses[i] = used[i].state === 'COMPLETE' ? values[i] : NaN;
  return { trials: used, isBelow, nFinished, losses };
}

/**
 * Reorders `order` so that its first `k` entries are the `k` least under `less` (a strict total order), in no
 * particular order among themselves: quickselect (Hoare, 1961) with a median-of-three pivot, O(n) on average.
 */
export function selectBest(order: Uint32Array, k: number, less: (a: number, b: number) => boolean): void {
  let lo = 0;
  let hi = order.length - 1;
  const swap = (i: number, j: number): void => {
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  };
  while (k > lo && k <= hi) {
    const mid = (lo + hi) >>> 1;
    if (less(order[mid], order[lo])) swap(mid, lo);
    if (less(order[hi], order[lo])) swap(hi, lo);
    if (less(order[hi], order[mid])) swap(hi, mid);
    const pivot = order[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (less(order[i], pivot)) i++;
      while (less(pivot, order[j])) j--;
      if (i <= j) swap(i++, j--);
    }
    // [lo, j] ≤ pivot ≤ [i, hi]; entries strictly between j and i equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The internal value of `name` in a trial, or NaN when the trial lacks it or its value does not fit `d` (a range
 * that changed between trials). Categoricals map to the index of the choice in `d`.
 */
export function internalValue(t: FrozenTrial, name: string, d: Distribution): number {
  // A missing name reads as undefined (or an Object.prototype member), which no check below accepts.
  const v: unknown = t.params[name];
  if (d.kind === 'categorical') {
    const i = d.choices.indexOf(v as ParamValue);
    return i < 0 ? NaN : i;
  }
  return typeof v === 'number' && v >= d.low && v <= d.high ? v : NaN;
}

/**
 * Observations of the good and bad groups over `names` (internal values, one array per name), keeping only
 * trials that have every one of them.
 */
export function groupObservations(
  split: SplitTrials,
  names: readonly string[],
  space: readonly Distribution[],
): { below: Float64Array[]; above: Float64Array[]; belowLosses: Float64Array } {
  const nT = split.trials.length;
  const nD = names.length;
  const values = new Float64Array(nT * nD);
  const usable = new Uint8Array(nT);
  let nBelow = 0;
  for (let i = 0; i < nT; i++) {
    let ok = 1;
    for (let d = 0; d < nD && ok === 1; d++) {
      const v = internalValue(split.trials[i], names[d], space[d]);
      values[i * nD + d] = v;
      if (Number.isNaN(v)) ok = 0;
    }
    usable[i] = ok;
    if (ok === 1 && split.isBelow[i] === 1) nBelow++;
  }
  let nUsable = 0;
  for (let i = 0; i < nT; i++) nUsable += usable[i];
  const below = names.map(() => new Float64Array(nBelow));
  const above = names.map(() => new Float64Array(nUsable - nBelow));
  const belowLosses = new Float64Array(nBelow);
  let b = 0;
  let a = 0;
  for (let i = 0; i < nT; i++) {
    if (usable[i] === 0) continue;
    if (split.isBelow[i] === 1) belowLosses[b] = split.losses[i];
    const [target, at] = split.isBelow[i] === 1 ? [below, b++] : [above, a++];
    for (let d = 0; d < nD; d++) target[d][at] = values[i * nD + d];
  }
  return { below, above, belowLosses };
}
