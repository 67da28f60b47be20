/**
 * Full training from a baseline, as a library function: prepares the subsystem's datasets, records a run in
 * the store, gives it a checkpoint folder, routes its metrics and logs to the run through the same tracking
 * sink trials use, and finishes the run COMPLETE with its test results or FAIL with its error. The CLI's
 * `tune train`, the programmatic API and (later) the dashboard all call this.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AttrValue, FrozenRun, LogLevel } from '../core/frozen.js';
import type { TrialProgress } from '../core/objective-context.js';
import { ConfigError, toTrialError } from '../errors.js';
import { checkTrainWorkers } from '../subsystems/data-parallel.js';
import type { Storage } from '../storage/storage.js';
import { loadSubsystem } from '../subsystems/registry.js';
import type { FullTrainContext } from '../subsystems/subsystem.js';
import { createTrackingSink } from '../tracking/sink.js';
import { codeVersion } from '../util/code-version.js';
import type { Baseline } from './baseline.js';

export interface FullTrainingOptions {
  readonly baseline: Baseline;
  readonly storage: Storage;
  /** Datasets root (`datasets/`); the subsystem reads `<datasetsDir>/<name>/`. */
  readonly datasetsDir: string;
  /** Studies root (`studies/`); checkpoints go to `<studiesDir>/<study>/runs/<runId>/`. */
  readonly studiesDir: string;
  /** Overrides the baseline's `epochs`. */
  readonly epochs?: number;
  /** Overrides the baseline's `backend`. */
  readonly backend?: string;
  /** Data-parallel worker threads sharing each batch (default 1); more than 1 needs a subsystem that supports it. */
  readonly trainWorkers?: number;
  readonly signal?: AbortSignal;
  /** Called once the run exists, before training starts. */
  onStart?(info: { run: FrozenRun; checkpointDir: string; epochs: number }): void;
  onLog?(level: LogLevel, message: string): void;
  onMetrics?(step: number, values: Readonly<Record<string, number>>): void;
  onProgress?(p: TrialProgress): void;
}

/**
 * Runs full training and returns the finished run. A failure is stored on the run (state FAIL, error and stack)
 * and then thrown, so the caller reports it; an interrupt (the signal) ends the same way with code INTERRUPTED.
 * @example
 * const run = await runFullTraining({ baseline: readBaseline('studies/baselines/optimizer.json'), storage, datasetsDir: 'datasets', studiesDir: 'studies' });
 * console.log(run.result);
 */
export async function runFullTraining(o: FullTrainingOptions): Promise<FrozenRun> {
  const { baseline, storage } = o;
  const sub = await loadSubsystem(baseline.subsystem as string);
  const config: Record<string, AttrValue> = { ...baseline.config };
  if (o.backend !== undefined) config['backend'] = o.backend;
  if (o.epochs !== undefined) config['epochs'] = o.epochs;
  const epochs = Number(config['epochs'] ?? sub.defaults.full.epochs);
  const seed = baseline.provenance.objectiveSeed ?? baseline.provenance.seed ?? 0;
  const log = (level: LogLevel, message: string): void => o.onLog?.(level, message);
  // A bad value fails here, in a second, not after minutes of dataset generation (and before any run is stored).
  sub.validateConfig?.(config);
  const trainWorkers = checkTrainWorkers(o.trainWorkers ?? 1);
  if (trainWorkers > 1 && sub.trainReplica === undefined) {
    throw new ConfigError(`--train-workers: subsystem '${sub.name}' does not train data-parallel (only subsystems whose engine splits each batch among workers do, such as optimizer and cllm); use --train-workers 1`, { code: 'USAGE' });
  }
  await sub.datasets.prepare({ datasetsDir: o.datasetsDir, seed, log: (m) => log('info', m) });
  const run = await storage.createRun({ studyName: baseline.provenance.study, trialNumber: baseline.provenance.trialNumber, subsystem: sub.name, config, codeVersion: codeVersion() });
  const checkpointDir = runCheckpointDir(o.studiesDir, baseline.provenance.study, run.runId);
  mkdirSync(checkpointDir, { recursive: true });
  o.onStart?.({ run, checkpointDir, epochs });
  const sink = createTrackingSink(storage, { runId: run.runId });
  const attrs: Record<string, AttrValue> = {};
  const ctx: FullTrainContext = {
    seed,
    signal: o.signal ?? new AbortController().signal,
    checkpointDir,
    datasetsDir: o.datasetsDir,
    trainWorkers,
    metrics: (step, values) => {
      sink.metrics(step, values);
      o.onMetrics?.(step, values);
    },
    log: (level, message, data) => {
      sink.log(level, message, data);
      log(level, message);
    },
    progress: (p) => o.onProgress?.(p),
    setAttr: (key, value) => {
      attrs[key] = value;
    },
  };
  try {
    const result = await sub.fullTrain(config, ctx);
    await sink.flush();
    return await storage.finishRun(run.runId, { state: 'COMPLETE', result: { value: result.value, ...result.result, attrs } });
  } catch (e) {
    await sink.settle();
    await storage.finishRun(run.runId, { state: 'FAIL', error: toTrialError(e) });
    throw e;
  }
}

/** Where a run's checkpoints live: `<studiesDir>/<study>/runs/<runId>/` (one rule for the trainer and its readers). */
export function runCheckpointDir(studiesDir: string, study: string, runId: number): string {
  return join(studiesDir, study, 'runs', String(runId));
}
