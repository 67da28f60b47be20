/**
 * Which tied values count as repeats under `tiedValues: 'near'` (docs/benchmarks/samplers.md, "Session 29c"): a
 * trial whose value equals an earlier one's is a repeat only when it also sits at the earlier trial's point, up to a
 * tolerance in the unit cube — the same cell of a hidden grid evaluated again, not another point on a plateau of
 * equal values (a quantized objective).
 */
import { type Distribution, distributionsEqual } from '../../space/distributions.js';
import type { FrozenTrial } from '../../core/frozen.js';

/** The position of `v` in `d`'s range, [low, high] → [0, 1], in log space for a log-scaled range; 0 for one point. */
function unitPosition(d: Exclude<Distribution, { kind: 'categorical' }>, v: number): number {
  if (d.high === d.low) return 0;
  return d.log ? (Math.log(v) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low)) : (v - d.low) / (d.high - d.low);
}

/**
 * Whether two trials are at the same point up to `tolerance`: the same parameter names with equal distributions,
 * the same choice for every categorical, and every numeric parameter within `tolerance` of the other's in the unit
 * cube (the Chebyshev distance).
 */
export function samePointWithin(a: FrozenTrial, b: FrozenTrial, tolerance: number): boolean {
  const names = Object.keys(a.distributions);
  if (names.length !== Object.keys(b.distributions).length) return false;
  for (const name of names) {
    if (!Object.hasOwn(b.distributions, name)) return false;
    const d = a.distributions[name];
    if (!distributionsEqual(d, b.distributions[name])) return false;
    const va = a.params[name];
    const vb = b.params[name];
    if (d.kind === 'categorical') {
      if (va !== vb) return false;
    } else if (typeof va !== 'number' || typeof vb !== 'number' || !(Math.abs(unitPosition(d, va) - unitPosition(d, vb)) <= tolerance)) {
      return false;
    }
  }
  return true;
}

/**
 * The trial of observation i, over the observations numbered `numbers` (an Observations' trial numbers): the trials
 * are looked up by number once, on the first call (only ties ask), and `near` and the memo share that one lookup.
 */
export function observedTrials(trials: readonly FrozenTrial[], numbers: Float64Array): (i: number) => FrozenTrial | undefined {
  let byNumber: Map<number, FrozenTrial> | undefined;
  return (i) => (byNumber ??= new Map(trials.map((t) => [t.number, t]))).get(numbers[i]);
}

/** `near(i, j)`: whether observation i is at observation j's point up to `tolerance` (`trialOf`: `observedTrials`). */
export function nearObservations(trialOf: (i: number) => FrozenTrial | undefined, tolerance: number): (i: number, j: number) => boolean {
  return (i, j) => {
    const a = trialOf(i);
    const b = trialOf(j);
    return a !== undefined && b !== undefined && samePointWithin(a, b, tolerance);
  };
}

/** A split's view of a `RepeatMemo`: flags by observation index, valid for a given set of earlier COMPLETE trials. */
export interface SplitRepeatMemo {
  /** The trial number of observation i. */
  readonly number: (i: number) => number;
  /** Observation i's flag when it was last computed with the same earlier COMPLETE trials (their count and number sum). */
  readonly get: (i: number, nEarlier: number, sumEarlier: number) => boolean | undefined;
  readonly set: (i: number, nEarlier: number, sumEarlier: number, repeat: boolean) => void;
}

/**
 * The 'near' flags of finished trials, kept across suggestions (one per sampler): a trial's flag depends only on the
 * COMPLETE trials before it in list order, which only grow, so it is computed once and reused while their count and
 * the sum of their numbers are unchanged (a trial completing earlier in the list changes both). Without it every split
 * compares each tied trial with every earlier trial of its value: O(n²) per suggestion on a plateau (40 ms per trial at
 * 501–1000 trials, scripts/bench/sampler-overhead.ts --objective plateau).
 */
export class RepeatMemo {
  #studyId: number | undefined;
  /** By trialId (unique in a storage): the flag, what it was computed against, and the trial's value then. */
  #flags = new Map<number, { nEarlier: number; sumEarlier: number; value: number | null; repeat: boolean }>();

  forSplit(trials: readonly FrozenTrial[], numbers: Float64Array, trialOf: (i: number) => FrozenTrial | undefined): SplitRepeatMemo {
    const studyId = trials[0]?.studyId;
    if (studyId !== this.#studyId) {
      this.#studyId = studyId;
      this.#flags = new Map();
    }
    const flags = this.#flags;
    return {
      number: (i) => numbers[i],
      get: (i, nEarlier, sumEarlier) => {
        const t = trialOf(i);
        const f = t === undefined ? undefined : flags.get(t.trialId);
        return f !== undefined && t !== undefined && f.nEarlier === nEarlier && f.sumEarlier === sumEarlier && f.value === t.value ? f.repeat : undefined;
      },
      set: (i, nEarlier, sumEarlier, repeat) => {
        const t = trialOf(i);
        if (t !== undefined) flags.set(t.trialId, { nEarlier, sumEarlier, value: t.value, repeat });
      },
    };
  }
}
