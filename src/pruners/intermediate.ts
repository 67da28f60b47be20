import { ParzenError } from '../errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen.js';

/**
 * Small pure helpers over a trial's intermediate values, shared by the pruners. NaN handling follows numpy's
 * `nanmin`/`nanmax`/`nanpercentile`, which Optuna 3.1's pruners are written with.
 */

/**
 * The value the trial reported at `step`. The pruner contract passes the step just reported, so a missing value
 * is a caller bug: it throws rather than quietly not pruning.
 */
export function valueAtStep(pruner: string, trial: FrozenTrial, step: number): number {
  const value = trial.intermediateValues.get(step);
  if (value === undefined) {
    throw new ParzenError(
      'USAGE',
      `${pruner}.prune: trial ${trial.number} has no intermediate value at step ${step}; ` +
        'call prune with the step the trial has just reported',
    );
  }
  return value;
}

/** The largest reported step, or null when the trial reported nothing (Optuna's `FrozenTrial.last_step`). */
export function lastStep(trial: FrozenTrial): number | null {
  let last: number | null = null;
  for (const s of trial.intermediateValues.keys()) if (last === null || s > last) last = s;
  return last;
}

/** Best value over all reported steps for the direction, ignoring NaN; NaN when every value is NaN. */
export function bestIntermediateValue(trial: FrozenTrial, direction: StudyDirection): number {
  let best = Number.NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}

/**
 * numpy's `nanpercentile(values, q)` with the default 'linear' method (Hyndman & Fan 1996, definition 7):
 * drop NaN, sort, take the virtual index h = (n − 1)·q/100 and interpolate between its neighbours with numpy's
 * two-sided lerp, so results agree with Optuna to the last bit. NaN when nothing is left. One deliberate
 * difference: between two equal infinite neighbours the answer is that infinity, where numpy gives NaN.
 */
export function nanPercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const h = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  // Equal neighbours (±Infinity included) are the answer; numpy computes ∞ − ∞ here and returns NaN.
  if (a === b) return a;
  const diff = b - a;
  // numpy `_lerp`: a + (b − a)·t below t = 0.5, b − (b − a)·(1 − t) from 0.5 on (monotone and exact at ends).
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Whether `step` is the first report at or after the latest pruning checkpoint. Checkpoints sit at
 * nWarmupSteps + k·intervalSteps; a check missed because nothing was reported there happens at the next report
 * (Optuna 3.1 `_is_first_in_interval_step`). Requires step ≥ nWarmupSteps.
 */
export function isFirstInIntervalStep(
  step: number,
  reportedSteps: Iterable<number>,
  nWarmupSteps: number,
  intervalSteps: number,
): boolean {
  const nearestLowerCheckpoint = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let secondLast = -1;
  for (const s of reportedSteps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerCheckpoint;
}
