import { blankTrial } from '../fixtures/frozen-trial.js';
import type { FrozenTrial, TrialState } from '../../src/core/frozen.js';

/** A value series: `[v0, v1, …]` reports steps 0, 1, …; a record reports exactly the steps given. */
export type Series = readonly number[] | Readonly<Record<number, number>>;

export interface TrialSpec {
  readonly number: number;
  readonly state?: TrialState;
  readonly values: Series;
}

/**
 * Builds a FrozenTrial from its number, state and intermediate values, the rest filled as the store would for a
 * trial with no params. COMPLETE trials take their last value as objective value, PRUNED ones too (the contract:
 * a pruned trial stores its last step's value).
 */
export function frozenTrial(spec: TrialSpec): FrozenTrial {
  const state = spec.state ?? 'COMPLETE';
  const entries: [number, number][] = Array.isArray(spec.values)
    ? spec.values.map((v, i) => [i, v])
    : Object.entries(spec.values).map(([s, v]) => [Number(s), v]);
  const intermediateValues = new Map(entries);
  const last = entries.length === 0 ? null : entries.reduce((a, b) => (b[0] > a[0] ? b : a))[1];
  const finished = state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
  return blankTrial(spec.number, {
    state,
    value: state === 'COMPLETE' || state === 'PRUNED' ? last : null,
    intermediateValues,
    datetimeStart: new Date(0),
    datetimeComplete: finished ? new Date(1000) : null,
  });
}

/** COMPLETE trials numbered 0, 1, … from value series. */
export function completeTrials(series: readonly Series[]): FrozenTrial[] {
  return series.map((values, number) => frozenTrial({ number, values }));
}

/** A RUNNING trial with the given reports, numbered after `existing`. */
export function runningTrial(existing: readonly FrozenTrial[], values: Series): FrozenTrial {
  return frozenTrial({ number: existing.length, state: 'RUNNING', values });
}

/** The largest step of a series. */
export function lastStepOf(trial: FrozenTrial): number {
  return Math.max(...trial.intermediateValues.keys());
}
