import { StorageError } from '../errors.js';
import type { Attrs, LogLevel, LogLine, MetricPoint, TrialError } from '../core/frozen.js';
import { checkTrialError } from './checks.js';
import type { MetricOwner, NewRun } from './storage.js';
import { checkStep, describe, encodeAttrs, encodeValue, type EncodedValue } from './values.js';

/** Named-series points, logs and full-training runs: the checks both backends share. */

export interface CheckedMetric {
  readonly name: string;
  readonly step: number;
  readonly encoded: EncodedValue;
  readonly timestamp: number;
}

export function ownerLabel(owner: MetricOwner): string {
  return 'trialId' in owner ? `trial id ${owner.trialId}` : `run ${owner.runId}`;
}

export function checkOwner(owner: MetricOwner): MetricOwner {
  const id = typeof owner === 'object' && owner !== null ? ('trialId' in owner ? owner.trialId : 'runId' in owner ? owner.runId : undefined) : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new StorageError(`metric/log owner must be { trialId: number } or { runId: number }, got ${describe(owner)}`);
  }
  return owner;
}

export function checkMetrics(owner: MetricOwner, points: readonly MetricPoint[], now: number): CheckedMetric[] {
  if (!Array.isArray(points)) throw new StorageError(`metrics for ${ownerLabel(owner)}: expected an array of points`);
  return points.map((p, i) => {
    const what = `metric point ${i} for ${ownerLabel(owner)}`;
    if (typeof p?.name !== 'string' || p.name.length === 0) throw new StorageError(`${what}: name must be a non-empty string, e.g. "val_loss"`);
    const timestamp = p.timestamp ?? now;
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
      throw new StorageError(`${what} (${p.name}): timestamp must be ms since epoch, got ${describe(timestamp)}`);
    }
    const step = checkStep(p.step, `${what} (${p.name})`);
    return { name: p.name, step, encoded: encodeValue(p.value, `${what} (${p.name}) value`), timestamp };
  });
}

const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export interface CheckedLog {
  readonly line: LogLine;
  /** JSON text of `data`, or null. */
  readonly dataJson: string | null;
}

export function checkLogs(owner: MetricOwner, lines: readonly LogLine[]): CheckedLog[] {
  if (!Array.isArray(lines)) throw new StorageError(`logs for ${ownerLabel(owner)}: expected an array of lines`);
  return lines.map((l, i) => {
    const what = `log line ${i} for ${ownerLabel(owner)}`;
    if (!LEVELS.has(l?.level)) throw new StorageError(`${what}: level must be one of ${[...LEVELS].join(', ')}, got ${describe(l?.level)}`);
    if (typeof l.message !== 'string') throw new StorageError(`${what}: message must be a string`);
    if (typeof l.timestamp !== 'number' || !Number.isFinite(l.timestamp)) {
      throw new StorageError(`${what}: timestamp must be ms since epoch, got ${describe(l.timestamp)}`);
    }
    const dataJson = l.data === undefined ? null : encodeAttrs(l.data, `${what} data`);
    return { line: l, dataJson };
  });
}

export interface CheckedRun {
  readonly studyName: string | null;
  readonly trialNumber: number | null;
  readonly subsystem: string;
  readonly configJson: string;
  readonly codeVersion: string | null;
}

export function checkRun(opts: NewRun): CheckedRun {
  if (opts.studyName !== null && typeof opts.studyName !== 'string') throw new StorageError(`run studyName must be a string or null`);
  const trialNumber = opts.trialNumber ?? null;
  if (trialNumber !== null && (!Number.isSafeInteger(trialNumber) || trialNumber < 0)) {
    throw new StorageError(`run trialNumber must be a trial's number (an integer ≥ 0) or null, got ${describe(trialNumber)}`);
  }
  if (trialNumber !== null && opts.studyName === null) {
    throw new StorageError(`run trialNumber ${trialNumber} needs the studyName of the study that trial belongs to`);
  }
  if (typeof opts.subsystem !== 'string' || opts.subsystem.length === 0) {
    throw new StorageError(`run subsystem must be a non-empty string such as "optimizer", got ${describe(opts.subsystem)}`);
  }
  if (opts.codeVersion !== null && typeof opts.codeVersion !== 'string') throw new StorageError(`run codeVersion must be a string or null`);
  return { studyName: opts.studyName, trialNumber, subsystem: opts.subsystem, configJson: encodeAttrs(opts.config, 'run config'), codeVersion: opts.codeVersion };
}

export interface CheckedRunFinish {
  readonly state: 'COMPLETE' | 'FAIL';
  readonly resultJson: string | null;
  readonly error: TrialError | null;
}

export function checkRunFinish(runId: number, finish: { state: 'COMPLETE' | 'FAIL'; result?: Attrs | null; error?: TrialError | null }): CheckedRunFinish {
  if (finish.state !== 'COMPLETE' && finish.state !== 'FAIL') {
    throw new StorageError(`run ${runId}: finish state must be COMPLETE or FAIL, got ${describe(finish.state)}`);
  }
  const result = finish.result ?? null;
  return {
    state: finish.state,
    resultJson: result === null ? null : encodeAttrs(result, `run ${runId} result`),
    error: checkTrialError(`run ${runId}`, finish.error ?? null),
  };
}

export function runFinished(runId: number, state: string): StorageError {
  return new StorageError(`run ${runId} is already ${state}; a finished run is immutable, start a new run instead`);
}
