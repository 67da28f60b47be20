import type { TrialError } from '../errors.js';
import type { Distribution, ParamValue } from '../space/distributions.js';

export type { TrialError };

/** Lifecycle of a trial. WAITING is enqueued but not started; the other three besides RUNNING are final. */
export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export const isFinished = (s: TrialState): boolean => s === 'COMPLETE' || s === 'PRUNED' || s === 'FAIL';

export type StudyDirection = 'minimize' | 'maximize';

/** JSON-serialisable attribute values. */
export type AttrValue = string | number | boolean | null | readonly AttrValue[] | { readonly [k: string]: AttrValue };
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Resource budget a trial ran under (epochs, batch cap, …), recorded on the trial. */
export type Budget = Readonly<Record<string, number | null>>;

/**
 * A trial as the store holds it: an immutable snapshot. Samplers, pruners and the CLI only ever see these.
 * Params are external values; `distributions` has the same keys.
 */
export interface FrozenTrial {
  readonly trialId: number;
  readonly studyId: number;
  /** 0-based, dense per study, assigned atomically by the store. */
  readonly number: number;
  readonly state: TrialState;
  /** Objective value (COMPLETE), or last intermediate value (PRUNED); ±Infinity allowed, NaN never. */
  readonly value: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** step → value, as reported with `ctx.report(step, value)`. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  readonly userAttrs: Attrs;
  readonly systemAttrs: Attrs;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
  /** Last heartbeat of the process running it (RUNNING trials). */
  readonly heartbeat: Date | null;
  readonly error: TrialError | null;
  /** Which worker / host:pid ran it. */
  readonly worker: string | null;
  /** The study seed it was sampled under; its objective got `trialSeed(seed, number)` (system attr objective_seed). */
  readonly seed: number | null;
  /** parzen version + git commit of the code that ran it. */
  readonly codeVersion: string | null;
  readonly budget: Budget | null;
  /** Trial number this one retries, if it is a retry. */
  readonly retryOf: number | null;
}

export interface FrozenStudy {
  readonly studyId: number;
  readonly name: string;
  readonly direction: StudyDirection;
  readonly createdAt: Date;
  readonly userAttrs: Attrs;
  readonly systemAttrs: Attrs;
}

/** A study with trial counts, for `tune studies`. */
export interface StudySummary extends FrozenStudy {
  readonly nTrials: number;
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly bestValue: number | null;
  readonly bestTrialNumber: number | null;
}

/** One point of a named metric series (train_loss, val_loss, lr, …). */
export interface MetricPoint {
  readonly name: string;
  readonly step: number;
  readonly value: number;
  /** ms since epoch; the store fills it when absent. */
  readonly timestamp?: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  /** ms since epoch */
  readonly timestamp: number;
  readonly data?: Attrs;
}

export type RunState = 'RUNNING' | 'COMPLETE' | 'FAIL';

/** A full-training run started from a baseline config. */
export interface FrozenRun {
  readonly runId: number;
  /** Study the baseline came from, when known. */
  readonly studyName: string | null;
  /**
   * Number of the study trial it trained (the baseline's `provenance.trialNumber`); null when the run names no
   * trial, as every run stored before schema version 3 (SQLite) / 2 (PostgreSQL) does.
   */
  readonly trialNumber: number | null;
  readonly subsystem: string;
  readonly state: RunState;
  readonly config: Attrs;
  readonly result: Attrs | null;
  readonly error: TrialError | null;
  readonly datetimeStart: Date;
  readonly datetimeComplete: Date | null;
  readonly codeVersion: string | null;
}
