/**
 * Ranking the study's trials and splitting them into the "good" (below) and "bad" (above) groups, after
 * Optuna 3.1 `_get_observation_pairs` and `_split_observation_pairs`, over the typed-array columns of
 * observations.ts.
 */
import type { Distribution } from '../../space/distributions.js';
import type { FrozenTrial, StudyDirection } from '../../core/frozen.js';
import { ObservationColumns, type Observations } from './observations.js';
import type { TiedValues } from './options.js';
import { type SplitRepeatMemo, nearObservations, observedTrials } from './tied-values.js';

export { internalValue, rankKey } from './observations.js';

/** The trials TPE learns from, in trial-list order, and which of them are in the good group. */
export interface SplitTrials {
  /** Number of each trial used; the arrays below and `column` are indexed alike. */
  readonly numbers: Float64Array;
  /** 1 where the trial is in the good (below) group. */
  readonly isBelow: Uint8Array;
  /** COMPLETE and PRUNED trials among them (RUNNING ones under the constant liar are not counted). */
  readonly nFinished: number;
  /** The value of each COMPLETE trial as a loss (negated when maximising); NaN for the others. */
  readonly losses: Float64Array;
  /** Each trial's internal value of a parameter, NaN where it lacks it or the value does not fit `d`. */
  readonly column: (name: string, d: Distribution) => Float64Array;
  /** 1 where a COMPLETE trial's value equals an earlier COMPLETE trial's exactly (`tiedValues` other than 'keep'). */
  readonly repeat?: Uint8Array;
  /** 1 where the trial is in neither group (`tiedValues: 'drop'`: the repeats). */
  readonly inNeither?: Uint8Array;
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
export function splitTrials(trials: readonly FrozenTrial[], o: SplitOptions, tiedValues: TiedValues = 'keep', tiedDistance = 0.01): SplitTrials {
  const obs = new ObservationColumns().observe(trials, o);
  const near = tiedValues === 'near' ? nearObservations(observedTrials(trials, obs.numbers), tiedDistance) : undefined;
  return splitObservations(obs, o.nBelow, tiedValues, near);
}

/**
 * 1 where a COMPLETE trial (a loss that is not NaN) has the same loss as an earlier one in list order — and, given
 * `near`, is also near one of those earlier ones (`near(i, j)`, j < i) — and their count. On a hidden grid (a lookup
 * table scored at the nearest cell) these are re-evaluations of a cell, or, without `near`, also other cells or
 * plateau points that happen to share its value (cross-validated errors take few values).
 */
export function repeatedValues(
  losses: Float64Array,
  near?: (i: number, j: number) => boolean,
  memo?: SplitRepeatMemo,
): { repeat: Uint8Array; nRepeats: number } {
  const repeat = new Uint8Array(losses.length);
  const earlier = new Map<number, number[]>();
  let nRepeats = 0;
  // The COMPLETE observations before i (count and number sum): what a memoised 'near' flag of i depends on.
  let nEarlier = 0;
  let sumEarlier = 0;
  for (let i = 0; i < losses.length; i++) {
    const v = losses[i];
    if (Number.isNaN(v)) continue;
    const same = earlier.get(v);
    if (same === undefined) earlier.set(v, [i]);
    else {
      let isRepeat = near === undefined;
      if (near !== undefined) {
        const known = memo?.get(i, nEarlier, sumEarlier);
        isRepeat = known ?? same.some((j) => near(i, j));
        if (known === undefined) memo?.set(i, nEarlier, sumEarlier, isRepeat);
      }
      if (isRepeat) {
        repeat[i] = 1;
        nRepeats++;
      }
      same.push(i);
    }
    nEarlier++;
    sumEarlier += memo?.number(i) ?? 0;
  }
  return { repeat, nRepeats };
}

/**
 * `splitTrials` over observations already gathered (a sampler's `ObservationColumns`). `near` (observation indices,
 * `nearObservations`) is required by `tiedValues: 'near'`, where only a tie at the same point is a repeat; `memo`
 * (a sampler's `RepeatMemo`) keeps those flags across splits.
 */
export function splitObservations(
  obs: Observations,
  nBelow: (nFinished: number) => number,
  tiedValues: TiedValues = 'keep',
  near?: (i: number, j: number) => boolean,
  memo?: SplitRepeatMemo,
): SplitTrials {
  const { steps, keys: values } = obs;
  if (tiedValues === 'near' && near === undefined) throw new Error("splitObservations: tiedValues 'near' needs the near(i, j) of nearObservations");
  const ties = tiedValues === 'keep' ? undefined : repeatedValues(obs.losses, tiedValues === 'near' ? near : undefined, memo);
  // Repeats under 'above' / 'near' / 'drop' are never candidates for the good group: rank only the other trials.
  const n = steps.length - (ties?.nRepeats ?? 0);
  const order = new Uint32Array(n);
  for (let i = 0, j = 0; i < steps.length; i++) if (ties === undefined || ties.repeat[i] === 0) order[j++] = i;
  // Ties keep trial order (the index as last key), as numpy's stable argsort does: a strict total order, so the k
  // best are one set however they are found. Only that set matters, so it is selected in O(n), not sorted.
  const less = (a: number, b: number): boolean =>
    steps[a] < steps[b] || (steps[a] === steps[b] && (values[a] < values[b] || (values[a] === values[b] && a < b)));
  const isBelow = new Uint8Array(steps.length);
  const nCounted = tiedValues === 'drop' ? obs.nFinished - (ties?.nRepeats ?? 0) : obs.nFinished;
  const k = Math.min(nBelow(nCounted), n);
  selectBest(order, k, less);
  for (let i = 0; i < k; i++) isBelow[order[i]] = 1;
  const split = { numbers: obs.numbers, isBelow, nFinished: obs.nFinished, losses: obs.losses, column: obs.column };
  if (ties === undefined) return split;
  return { ...split, repeat: ties.repeat, inNeither: tiedValues === 'drop' ? ties.repeat : undefined };
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
 * Observations of the good and bad groups over `names` (internal values, one array per name), keeping only
 * trials that have every one of them.
 */
export function groupObservations(
  split: SplitTrials,
  names: readonly string[],
  space: readonly Distribution[],
): { below: Float64Array[]; above: Float64Array[]; belowLosses: Float64Array } {
  const nT = split.isBelow.length;
  const columns = names.map((name, d) => split.column(name, space[d]));
  const usable = new Uint8Array(nT).fill(1);
  if (split.inNeither !== undefined) for (let i = 0; i < nT; i++) usable[i] = 1 - split.inNeither[i];
  for (const c of columns) for (let i = 0; i < nT; i++) if (Number.isNaN(c[i])) usable[i] = 0;
  let nUsable = 0;
  let nBelow = 0;
  for (let i = 0; i < nT; i++) {
    nUsable += usable[i];
    nBelow += usable[i] & split.isBelow[i];
  }
  const below = names.map(() => new Float64Array(nBelow));
  const above = names.map(() => new Float64Array(nUsable - nBelow));
  const belowLosses = new Float64Array(nBelow);
  let b = 0;
  let a = 0;
  for (let i = 0; i < nT; i++) {
    if (usable[i] === 0) continue;
    if (split.isBelow[i] === 1) {
      belowLosses[b] = split.losses[i];
      for (let d = 0; d < columns.length; d++) below[d][b] = columns[d][i];
      b++;
    } else {
      for (let d = 0; d < columns.length; d++) above[d][a] = columns[d][i];
      a++;
    }
  }
  return { below, above, belowLosses };
}
