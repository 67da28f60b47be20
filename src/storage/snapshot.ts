import { toExternal, type Distribution, type ParamValue } from '../space/distributions.js';
import type { Attrs, Budget, FrozenRun, FrozenTrial, TrialError, TrialState } from '../core/frozen.js';
import { deepFreeze } from './values.js';

/** Everything a FrozenTrial is built from, in the store's (internal) representation. */
export interface TrialParts {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
  readonly value: number | null;
  readonly params: Iterable<readonly [string, { readonly distribution: Distribution; readonly internal: number }]>;
  readonly intermediate: Iterable<readonly [number, number]>;
  readonly userAttrs: Attrs;
  readonly systemAttrs: Attrs;
  readonly datetimeStart: number | null;
  readonly datetimeComplete: number | null;
  readonly heartbeat: number | null;
  readonly error: TrialError | null;
  readonly worker: string | null;
  readonly seed: number | null;
  readonly codeVersion: string | null;
  readonly budget: Budget | null;
  readonly retryOf: number | null;
}

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/**
 * Builds an immutable snapshot and freezes the objects it is given: callers pass objects nobody else holds
 * (fresh from JSON, or copies), so later writes to the store cannot change the snapshot. Intermediate values
 * are ordered by step.
 */
export function freezeTrial(p: TrialParts): FrozenTrial {
  const params: Record<string, ParamValue> = {};
  const distributions: Record<string, Distribution> = {};
  for (const [name, { distribution, internal }] of p.params) {
    params[name] = toExternal(distribution, internal);
    distributions[name] = deepFreeze(distribution);
  }
  const steps = [...p.intermediate].sort((a, b) => a[0] - b[0]);
  return Object.freeze({
    trialId: p.trialId,
    studyId: p.studyId,
    number: p.number,
    state: p.state,
    value: p.value,
    params: Object.freeze(params),
    distributions: Object.freeze(distributions),
    intermediateValues: new Map(steps),
    userAttrs: deepFreeze(p.userAttrs),
    systemAttrs: deepFreeze(p.systemAttrs),
    datetimeStart: toDate(p.datetimeStart),
    datetimeComplete: toDate(p.datetimeComplete),
    heartbeat: toDate(p.heartbeat),
    error: p.error === null ? null : Object.freeze({ ...p.error }),
    worker: p.worker,
    seed: p.seed,
    codeVersion: p.codeVersion,
    budget: p.budget === null ? null : Object.freeze({ ...p.budget }),
    retryOf: p.retryOf,
  });
}

/** A run as stored: a FrozenRun with its times as epoch milliseconds. */
export type RunParts = Omit<FrozenRun, 'datetimeStart' | 'datetimeComplete'> & {
  readonly datetimeStart: number;
  readonly datetimeComplete: number | null;
};

/** Immutable snapshot of a full-training run; like {@link freezeTrial}, it takes ownership of `config`/`result`. */
export function freezeRun(p: RunParts): FrozenRun {
  return Object.freeze({
    runId: p.runId,
    studyName: p.studyName,
    trialNumber: p.trialNumber,
    subsystem: p.subsystem,
    state: p.state,
    codeVersion: p.codeVersion,
    config: deepFreeze(p.config),
    result: p.result === null ? null : deepFreeze(p.result),
    error: p.error === null ? null : Object.freeze({ ...p.error }),
    datetimeStart: new Date(p.datetimeStart),
    datetimeComplete: toDate(p.datetimeComplete),
  });
}
