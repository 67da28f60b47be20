import { StorageError } from '../errors.js';
import {
  describeDistribution,
  distributionIncompatibility,
  isContained,
  toExternal,
  isKnownValid,
  validateDistribution,
  type Distribution,
  type ParamValue,
} from '../space/distributions.js';
import { isFinished, type StudyDirection, type TrialError, type TrialState } from '../core/frozen.js';
import type { TrialFinish, TrialTemplate } from './storage.js';
import { describe, encodeValue, type EncodedValue } from './values.js';

/**
 * Rules of the Storage contract that do not depend on the backend. Both InMemoryStorage and SqliteStorage
 * call these, so the two cannot drift apart in what they accept.
 */

export function studyNotFound(name: string | number): StorageError {
  const which = typeof name === 'number' ? `with id ${name}` : `"${name}"`;
  return new StorageError(`study ${which} does not exist; list studies with \`tune studies\` or create it first`, {
    code: 'STUDY_NOT_FOUND',
  });
}

export function studyExists(name: string, fix = 'pick another --study name or pass --resume to continue it'): StorageError {
  return new StorageError(`a study named "${name}" already exists; ${fix}`, {
    code: 'STUDY_EXISTS',
  });
}

/** STUDY_EXISTS for renameStudy's target name. */
export function renameTargetTaken(name: string): StorageError {
  return studyExists(name, 'choose another new name, or rename or delete that study first');
}

/** STUDY_FULL: `createTrial` with `maxActive` found that many COMPLETE + RUNNING trials. */
export function studyFull(studyName: string, maxActive: number, nActive: number): StorageError {
  return new StorageError(`study "${studyName}" already has ${nActive} COMPLETE or RUNNING trials (maxActive ${maxActive}); no trial was created`, {
    code: 'STUDY_FULL',
  });
}

/** Throws STUDY_FULL when the template's `maxActive` is reached. */
export function checkActiveQuota(studyName: string, template: TrialTemplate, nActive: number): void {
  if (template.maxActive !== undefined && nActive >= template.maxActive) throw studyFull(studyName, template.maxActive, nActive);
}

export function trialNotFound(trialId: number): StorageError {
  return new StorageError(`trial with id ${trialId} does not exist (was its study deleted?)`, { code: 'TRIAL_NOT_FOUND' });
}

/**
 * TRIAL_LOST: the trial this process created is no longer in the store (the server lost its uncommitted-to-disk
 * create in a crash, and its id may now name another worker's trial); nothing was written.
 */
export function trialLost(trialId: number, label: string): StorageError {
  return new StorageError(
    `${label} (id ${trialId}) is no longer in the store: the database server lost it (a crash or restart while it was RUNNING, before any ` +
      `durable write), and another trial may hold its id now; nothing was written, so this trial's run is void (the study continues without it)`,
    { code: 'TRIAL_LOST' },
  );
}

export function runNotFound(runId: number): StorageError {
  return new StorageError(`full-training run ${runId} does not exist; list runs to find its id`);
}

/** Throws TRIAL_FINISHED when `state` is final: finished trials are immutable. */
export function checkWritable(trial: { trialId: number; number: number; state: TrialState }, action: string): void {
  if (isFinished(trial.state)) {
    throw new StorageError(
      `cannot ${action} trial ${trial.number} (id ${trial.trialId}): it is already ${trial.state} and finished trials are immutable`,
      { code: 'TRIAL_FINISHED' },
    );
  }
}

export function checkStudyName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new StorageError(`study name must be a non-empty string, got ${describe(name)}`);
  }
  return name;
}

export function checkDirection(direction: unknown): StudyDirection {
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new StorageError(`study direction must be "minimize" or "maximize", got ${describe(direction)}`);
  }
  return direction;
}

/**
 * Validates one parameter value against its distribution and returns its external value.
 * A value outside the distribution is a PARAM_CONFLICT (the sampler or the caller disagrees with the space).
 */
export function checkParam(trialLabel: string, name: string, distribution: Distribution, internal: number): ParamValue {
  if (typeof name !== 'string' || name.length === 0) {
    throw new StorageError(`${trialLabel}: parameter name must be a non-empty string, got ${describe(name)}`, { code: 'PARAM_CONFLICT' });
  }
  if (!isKnownValid(distribution)) validateDistribution(`${trialLabel} parameter "${name}"`, distribution);
  const conflict = (why: string): StorageError =>
    new StorageError(`${trialLabel} parameter "${name}": ${why}`, { code: 'PARAM_CONFLICT' });
  if (typeof internal !== 'number' || !Number.isFinite(internal)) throw conflict(`internal value ${describe(internal)} is not a finite number`);
  if (distribution.kind === 'categorical') {
    if (!Number.isInteger(internal) || internal < 0 || internal >= distribution.choices.length) {
      throw conflict(`choice index ${internal} is outside 0..${distribution.choices.length - 1}`);
    }
    return toExternal(distribution, internal);
  }
  if (!isContained(distribution, internal)) {
    const grid = distribution.step !== null ? ` on a step of ${distribution.step}` : '';
    throw conflict(`value ${internal} is outside ${distribution.kind}(${distribution.low}, ${distribution.high})${grid}`);
  }
  return internal;
}

/**
 * Throws PARAM_CONFLICT when `next` cannot be used for `name` because the study already uses `previous` for it (in
 * trial `seenIn`): a parameter keeps its kind, log scale and categorical choices for a whole study, as in Optuna.
 */
export function checkCompatibleDistribution(o: { label: string; name: string; next: Distribution; previous: Distribution; seenIn: number }): void {
  const why = distributionIncompatibility(o.previous, o.next);
  if (why === null) return;
  throw new StorageError(
    `${o.label}: parameter "${o.name}" is ${describeDistribution(o.next)} here but ${describeDistribution(o.previous)} in trial ${o.seenIn} ` +
      `of this study, and ${why}. A parameter keeps its kind, log scale and categorical choices for a whole study (its range may ` +
      'change): give it another name, or start a new study',
    { code: 'PARAM_CONFLICT' },
  );
}

export function paramAlreadySet(trialLabel: string, name: string): StorageError {
  return new StorageError(`${trialLabel} already has a value for parameter "${name}"; each parameter is set once per trial`, {
    code: 'PARAM_CONFLICT',
  });
}

/** The checked form of a `finishTrial` request. */
export interface CheckedFinish {
  readonly state: 'COMPLETE' | 'PRUNED' | 'FAIL';
  /** undefined: PRUNED without a value, to be filled with the last intermediate value. */
  readonly value: EncodedValue | null | undefined;
  readonly error: TrialError | null;
}

export function checkFinish(trialLabel: string, finish: TrialFinish): CheckedFinish {
  const { state } = finish;
  if (state !== 'COMPLETE' && state !== 'PRUNED' && state !== 'FAIL') {
    throw new StorageError(`${trialLabel}: finish state must be COMPLETE, PRUNED or FAIL, got ${describe(state)}`);
  }
  const error = checkTrialError(trialLabel, finish.error ?? null);
  const raw = finish.value;
  if (state === 'COMPLETE') {
    if (raw === undefined || raw === null) throw new StorageError(`${trialLabel}: a COMPLETE trial needs an objective value`);
    return { state, value: encodeValue(raw, `${trialLabel} objective value`), error };
  }
  if (state === 'FAIL') {
    if (raw !== undefined && raw !== null) {
      throw new StorageError(`${trialLabel}: a FAIL trial has no objective value (got ${raw}); finish it COMPLETE to keep the value`);
    }
    return { state, value: null, error };
  }
  if (raw === undefined || raw === null) return { state, value: undefined, error };
  return { state, value: encodeValue(raw, `${trialLabel} pruned value`), error };
}

export function checkTrialError(what: string, error: TrialError | null): TrialError | null {
  if (error === null) return null;
  if (typeof error !== 'object' || typeof error.message !== 'string') {
    throw new StorageError(`${what}: error must be { message: string, stack: string | null, code: string | null }, got ${describe(error)}`);
  }
  return Object.freeze({ message: error.message, stack: error.stack ?? null, code: error.code ?? null });
}

/** Checks the scalar fields of a trial template (params and attrs are checked by their own rules). */
export function checkTemplate(template: TrialTemplate): void {
  const state = template.state ?? 'RUNNING';
  if (state !== 'RUNNING' && state !== 'WAITING') {
    throw new StorageError(`a new trial starts RUNNING or WAITING, got ${describe(state)}`);
  }
  const seed = template.seed;
  if (seed !== undefined && seed !== null && !Number.isSafeInteger(seed)) {
    throw new StorageError(`trial seed must be an integer, got ${describe(seed)}`);
  }
  const retryOf = template.retryOf;
  if (retryOf !== undefined && retryOf !== null && (!Number.isSafeInteger(retryOf) || retryOf < 0)) {
    throw new StorageError(`retryOf must be the trial number being retried, got ${describe(retryOf)}`);
  }
  const max = template.maxActive;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 0)) {
    throw new StorageError(`maxActive must be a non-negative integer, got ${describe(max)}`);
  }
  for (const [k, v] of Object.entries(template.budget ?? {})) {
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new StorageError(`trial budget "${k}" must be a finite number or null, got ${describe(v)}`);
    }
  }
}

/** Checks a `findStaleTrials` age. */
export function checkAgeMs(olderThanMs: unknown): number {
  if (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0) {
    throw new StorageError(`olderThanMs must be a non-negative number of milliseconds, got ${describe(olderThanMs)}`);
  }
  return olderThanMs;
}

export function checkAttrKind(kind: unknown): 'user' | 'system' {
  if (kind !== 'user' && kind !== 'system') throw new StorageError(`attribute kind must be "user" or "system", got ${describe(kind)}`);
  return kind;
}
