import { availableParallelism } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ParzenConfig, PrunerName, SamplerName, SubsystemConfig } from '../config/define.js';
import { DEFAULT_STORAGE, loadConfig } from '../config/load.js';
import { ConfigError, WorkerError } from '../errors.js';
import { createPruner } from '../pruners/index.js';
import { makeSampler } from '../samplers/make.js';
import type { Sampler, SpaceCoverage } from '../samplers/sampler.js';
import type { SearchSpace } from '../space/distributions.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/storage.js';
import { createStudy } from '../study/create.js';
import type { Study } from '../study/study.js';
import type { AttrValue, FrozenTrial, StudyDirection, TrialState } from '../core/frozen.js';
import { rankCompleteTrials } from '../core/ranking.js';
import { countByState } from '../study/queries.js';
import { trainingBudget } from '../subsystems/budget.js';
import { loadSubsystem, subsystemModule } from '../subsystems/registry.js';
import type { Subsystem } from '../subsystems/subsystem.js';
import { studyFactsAttrs, studySeed, studyTarget, type StudyTarget } from '../core/system-attrs.js';
import { afterAbort } from '../util/abort.js';
import { codeVersion } from '../util/code-version.js';
import { studyLogDir } from '../tracking/log-dir.js';
import { createStudyLogger } from '../tracking/logger.js';
import { InProcessRunner } from './in-process.js';
import { enqueueOrphanRetries } from './reaped-retries.js';
import { processLabel, reapOrphans } from './orphans.js';
import { runTrials, type RunEvent, type RunTrialsOptions } from './run-trials.js';
import { runSharedStudy } from './shared-study.js';
import type { TrialRunner } from './runner.js';
import { loadObjectiveModule, type TargetSpec } from './target.js';
import { maxTrainWorkers, parseTrialTrainWorkers, type TrialTrainWorkers } from './train-slots.js';

export interface TuneOptions {
  readonly config?: string;
  readonly subsystem?: string;
  readonly objective?: string;
  readonly study?: string;
  readonly trials?: number;
  readonly storage?: string;
  readonly seed?: number;
  readonly sampler?: SamplerName;
  /** Builds the sampler in place of `sampler` (a benchmark comparing sampler settings on the same study setup). */
  readonly samplerFactory?: (o: { seed: number; space: SearchSpace; constantLiar: boolean; nTrials: number }) => Sampler;
  readonly pruner?: PrunerName;
  readonly direction?: StudyDirection;
  readonly resume?: boolean;
  /**
   * `tune worker`: one of many processes (on any hosts) sharing the study: it runs trials until the study has
   * `trials` COMPLETE trials counting every host's (shared-study.ts). Implies resume; never deterministic batches.
   */
  readonly shared?: boolean;
  readonly epochs?: number;
  readonly batchCap?: number | null;
  readonly backend?: string;
  /** Worker threads (piscina pool); 0 runs trials in this process. Default: the machine's available parallelism. */
  readonly workers?: number;
  readonly trialTimeoutMs?: number | null;
  /** Retry failed trials (and orphans found at start) this many times, with exponential backoff. */
  readonly retries?: number;
  readonly retryBackoffMs?: number;
  /** Sample in synchronous batches so a seeded study is identical whatever the worker count. Default: on when a seed is given. */
  readonly deterministic?: boolean;
  /** Trials per synchronous batch in deterministic mode (default 4); not a training batch size. */
  readonly nTrialsPerBatch?: number;
  /** A RUNNING trial of another host counts as orphaned after this long without a heartbeat. */
  readonly staleMs?: number;
  /** Grace period for running trials after an interrupt, before they are stopped. */
  readonly graceMs?: number;
  /**
   * Data-parallel tuning trials (train-slots.ts): near the end of the run, a trial of a subsystem that splits its
   * batches trains on worker slots no later trial will need, at most this many per trial; 1 turns it off. Default
   * `auto` (as many as are idle). Always 1 for an objective module, in deterministic mode and for `tune worker`.
   */
  readonly trialTrainWorkers?: TrialTrainWorkers;
  /** Builds the runner; overrides `workers`. */
  readonly makeRunner?: () => Promise<TrialRunner>;
  readonly signal?: AbortSignal;
  /** A second interrupt: running trials are stored FAIL (INTERRUPTED) at once and the run returns without waiting for them. */
  readonly forceSignal?: AbortSignal;
  readonly onEvent?: (e: RunEvent) => void;
  readonly onInfo?: (message: string) => void;
  /** A problem that does not stop the study (the log file cannot be written); at most once per cause. Default: stderr. */
  readonly onWarning?: (message: string) => void;
  /** Called once the study is open and the number of trials to run is known. */
  readonly onStart?: (info: {
    study: string;
    total: number;
    workers: number;
    direction: StudyDirection;
    /** null when the run writes no log file (a memory: store). */
    logFile: string | null;
    /** The study's best trial before this run, if it has one. */
    best: FrozenTrial | null;
  }) => void;
}

export interface TuneSummary {
  readonly study: string;
  readonly storage: string;
  readonly target: TargetSpec;
  readonly direction: StudyDirection;
  readonly seed: number;
  /** New trials asked for: `--trials`, or with `--resume` what tops the study up to `--trials` COMPLETE. */
  readonly requested: number;
  /** Of those, how many the run set out to do: fewer when a grid had fewer points left. */
  readonly planned: number;
  /** COMPLETE trials the study has once every planned trial completes: the `--trials` a `--resume` tops up to. */
  readonly targetComplete: number;
  /** For a finite sampler (a grid): its points, and how many finished trials held before and after this run. */
  readonly coverage: GridCoverage | null;
  readonly ran: readonly FrozenTrial[];
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly best: FrozenTrial | null;
  readonly interrupted: boolean;
  /** RUNNING trials of dead processes marked FAIL at start. */
  readonly orphans: readonly FrozenTrial[];
  readonly workers: number;
  readonly deterministic: boolean;
}

export interface GridCoverage {
  readonly nPoints: number;
  readonly nBefore: number;
  readonly nAfter: number;
}

interface Resolved {
  readonly target: TargetSpec;
  /** The subsystem being tuned (its datasets are prepared before the first trial); null for an objective module. */
  readonly subsystem: Subsystem | null;
  readonly space: SearchSpace;
  readonly direction: StudyDirection;
  readonly metric: string;
  readonly defaultStudy: string;
  readonly trials: number;
  readonly epochs: number | null;
  readonly batchCap: number | null;
  readonly seed: number | undefined;
  readonly sampler: SamplerName;
  readonly pruner: PrunerName;
  readonly fullDefaults: Readonly<Record<string, AttrValue>>;
}

/** Resolve what to tune from the CLI options, the config file and the subsystem's defaults (in that order). */
async function resolveTarget(opts: TuneOptions, config: ParzenConfig): Promise<Resolved> {
  if (opts.objective !== undefined && opts.subsystem !== undefined) {
    throw new ConfigError('pass either --subsystem or --objective, not both', { code: 'USAGE' });
  }
  if (opts.objective !== undefined) {
    const path = resolve(opts.objective);
    const def = await loadObjectiveModule(path);
    return {
      target: { kind: 'objective', path },
      subsystem: null,
      space: def.space,
      direction: opts.direction ?? def.direction ?? 'minimize',
      metric: def.metric ?? 'value',
      defaultStudy: basename(path, extname(path)),
      trials: opts.trials ?? 12,
      epochs: opts.epochs ?? null,
      batchCap: opts.batchCap ?? null,
      seed: opts.seed,
      sampler: opts.sampler ?? 'auto',
      pruner: opts.pruner ?? 'none',
      fullDefaults: {},
    };
  }
  const name = opts.subsystem ?? config.defaultSubsystem ?? Object.keys(config.subsystems ?? {})[0] ?? 'optimizer';
  const sub = await loadSubsystem(name);
  const sc: SubsystemConfig = config.subsystems?.[name] ?? {};
  const fullDefaults = { ...sub.defaults.full, ...(sc.full ?? {}) };
  const datasetsDir = resolve(config.datasetsDir ?? 'datasets');
  const budget = trainingBudget(
    { epochs: opts.epochs ?? sc.tuning?.epochs, batchCap: opts.batchCap !== undefined ? opts.batchCap : sc.tuning?.batchCap },
    sub.defaults.tuning,
  );
  return {
    // The backend choice reaches the subsystem as a param; it is not a full-training default of the study.
    target: {
      kind: 'subsystem', name, module: subsystemModule(name), datasetsDir,
      // The study's folder, as `tune train` puts runs in `<studiesDir>/<study>/runs/` (full-train.ts).
      trialsDir: join(resolve(config.studiesDir ?? 'studies'), opts.study ?? name, 'trials'),
      defaults: { ...fullDefaults, backend: opts.backend ?? 'auto' } },
    subsystem: sub,
    space: sc.space ?? sub.defaultSpace,
    direction: opts.direction ?? sc.direction ?? sub.direction,
    metric: sc.metric ?? sub.metric,
    defaultStudy: name,
    trials: opts.trials ?? sc.tuning?.trials ?? 12,
    epochs: budget.epochs,
    batchCap: budget.batchCap,
    seed: opts.seed ?? sc.tuning?.seed,
    sampler: opts.sampler ?? sc.tuning?.sampler ?? 'auto',
    pruner: opts.pruner ?? sc.tuning?.pruner ?? 'none',
    fullDefaults,
  };
}

/** The storage URL a command uses: --storage, else the config's, else SQLite under studies/. */
export async function resolveStorageUrl(opts: { storage?: string; config?: string }): Promise<string> {
  if (opts.storage !== undefined) return opts.storage;
  const { config } = await loadConfig(opts.config);
  return config.storage ?? DEFAULT_STORAGE;
}

/**
 * `tune run`: resolve the target, open (or create) the study, run the trials, and summarise. Everything about the
 * study (target, metric, seed, full-training defaults) is written to the store, so `best`, `export-baseline` and
 * `--resume` need nothing else.
 */
export async function tune(opts: TuneOptions): Promise<TuneSummary> {
  const { config } = await loadConfig(opts.config);
  const r = await resolveTarget(opts, config);
  if (!Number.isSafeInteger(r.trials) || r.trials < 0) throw new ConfigError(`--trials must be a non-negative integer, got ${r.trials}`, { code: 'USAGE' });
  if (opts.trialTrainWorkers !== undefined) parseTrialTrainWorkers(opts.trialTrainWorkers);
  const storage = await openStorage(opts.storage ?? config.storage ?? DEFAULT_STORAGE);
  try {
    return await tuneWith(storage, r, opts);
  } finally {
    await storage.close();
  }
}

async function tuneWith(storage: Storage, r: Resolved, opts: TuneOptions): Promise<TuneSummary> {
  const studyName = opts.study ?? r.defaultStudy;
  const existing = await storage.findStudy(studyName);
  const seed = r.seed ?? studySeed(existing) ?? Math.floor(Math.random() * 2 ** 31);
  const workers = opts.makeRunner !== undefined ? 1 : (opts.workers ?? availableParallelism());
  const deterministic = opts.shared !== true && (opts.deterministic ?? r.seed !== undefined);
  const nTrialsPerBatch = opts.nTrialsPerBatch ?? 4;
  const trainCap = trialTrainWorkersCap(opts, r, { workers, deterministic });
  const facts = studyFactsAttrs({ target: studyTargetOf(r.target), metric: r.metric, seed, fullDefaults: r.fullDefaults });
  const study = await createStudy({
    name: studyName,
    storage,
    direction: r.direction,
    loadIfExists: true,
    sampler: (opts.samplerFactory ?? ((o) => makeSampler(r.sampler, o)))({ seed, space: r.space, constantLiar: workers > 1 || deterministic || opts.shared === true, nTrials: r.trials }),
    pruner: createPruner(r.pruner, {}),
    systemAttrs: facts,
  });
  // A study created empty (`tune create-study`, the API) learns what it tunes from its first run.
  if (existing !== undefined && studyTarget(existing) === null) {
    for (const [key, value] of Object.entries(facts)) await storage.setStudyAttr(study.studyId, 'system', key, value);
  }
  // Logs sit beside the store; a log that cannot be written is warned about once and never stops the study.
  const onWarning = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const logDir = studyLogDir(storage.url, studyName);
  const { logger, file: logFile } = createStudyLogger({ dir: logDir, onFailure: (m) => onWarning(m) });
  if (logDir === null) opts.onInfo?.(`a ${storage.url} store keeps no log files; pass --storage sqlite:<path> to keep this run's log`);
  const info = (message: string, data?: Record<string, unknown>): void => {
    logger.info(data ?? {}, message);
    opts.onInfo?.(message);
  };
  logger.info({ study: studyName, storage: storage.url, target: r.target, seed, workers, deterministic, codeVersion: codeVersion() }, 'tune started');
  const retries = opts.retries ?? 0;
  const orphans = await recoverOrphans(study, { storage, staleMs: opts.staleMs ?? 120_000, retries, info });
  if (r.subsystem !== null && r.target.kind === 'subsystem') {
    await unlessForced(r.subsystem.datasets.prepare({ datasetsDir: r.target.datasetsDir, seed, log: (m, data) => info(m, data) }), opts.forceSignal);
  }
  const before = await study.getTrials();
  const nComplete = before.filter((t) => t.state === 'COMPLETE').length;
  const nTrials = opts.resume === true || opts.shared === true ? Math.max(0, r.trials - nComplete) : r.trials;
  const coverageBefore = await study.coverage();
  // A grid runs no more trials than it has points without one.
  const planned = coverageBefore === null ? nTrials : Math.min(nTrials, freePoints(coverageBefore));
  info(
    `study '${studyName}' in ${storage.url}: ${before.length} trials so far (${nComplete} COMPLETE); ` +
      (planned === 0
        ? `nothing to run: ${nothingToRun({ resume: opts.resume === true, requested: r.trials, nTrials, nComplete, coverage: coverageBefore })}`
        : `running ${planned}${planned < nTrials ? ` (not ${nTrials}: ${gridLeft(coverageBefore)})` : ''} on ` +
          `${workers === 0 ? 'this thread' : `${workers} worker${workers === 1 ? '' : 's'}`} ` +
          `(${r.sampler} sampler, seed ${seed}${deterministic ? `, deterministic batches of ${nTrialsPerBatch}` : ''}` +
          `${r.epochs !== null ? `, ${r.epochs} epochs` : ''}${r.batchCap !== null ? `, batch cap ${r.batchCap}` : ''}` +
          `${trainCap > 1 ? ', the last trials train on idle workers' : ''})`),
  );
  const bestBefore = rankCompleteTrials(before, study.direction)[0] ?? null;
  opts.onStart?.({ study: studyName, total: planned, workers, direction: study.direction, logFile, best: bestBefore });
  const runner = await makeRunner(opts, workers);
  let ran: FrozenTrial[];
  try {
    const run: RunTrialsOptions = {
      study,
      storage,
      runner,
      target: r.target,
      space: r.space,
      nTrials: planned,
      budget: { epochs: r.epochs, batchCap: r.batchCap },
      seed,
      worker: processLabel(),
      codeVersion: codeVersion(),
      signal: opts.signal,
      forceSignal: opts.forceSignal,
      onEvent: (e) => {
        logEvent(logger, e);
        opts.onEvent?.(e);
      },
      retries,
      retryBackoffMs: opts.retryBackoffMs,
      maxTrainWorkers: trainCap,
    };
    ran = opts.shared === true
      ? await runSharedStudy({ ...run, nComplete: r.trials })
      : await runTrials({ ...run, nTrialsPerBatch: deterministic ? nTrialsPerBatch : null });
  } finally {
    await runner.close();
  }
  const interrupted = opts.signal?.aborted === true;
  logger.info({ ran: ran.length, interrupted }, 'tune finished');
  const coverageAfter = await study.coverage();
  const coverage =
    coverageBefore === null || coverageAfter === null
      ? null
      : { nPoints: coverageAfter.nPoints, nBefore: coverageBefore.nFinished, nAfter: coverageAfter.nFinished };
  return {
    ...(await summarise(study)),
    storage: storage.url,
    target: r.target,
    seed,
    requested: nTrials,
    planned,
    targetComplete: nComplete + planned,
    coverage,
    ran,
    orphans,
    workers,
    deterministic,
    interrupted,
  };
}

/** Why a run has no trial to run, in words. */
function nothingToRun(o: { resume: boolean; requested: number; nTrials: number; nComplete: number; coverage: SpaceCoverage | null }): string {
  if (o.nTrials > 0) return gridLeft(o.coverage);
  if (!o.resume) return '--trials is 0';
  return `the study already has ${o.nComplete} COMPLETE trials and --trials asks for ${o.requested} (with --resume, --trials is the total)`;
}

function freePoints(c: SpaceCoverage): number {
  return Math.max(0, c.nPoints - c.nFinished - c.nRunning);
}

function gridLeft(c: SpaceCoverage | null): string {
  if (c === null) return '';
  const free = freePoints(c);
  const running = c.nRunning > 0 ? `, ${c.nRunning} running elsewhere` : '';
  return free === 0
    ? `the grid is exhausted: all ${c.nPoints} points already have a trial${running}`
    : `the grid has ${free} of its ${c.nPoints} points left${running}`;
}

/** `work`, unless a second interrupt comes first: then an INTERRUPTED error at once (the work is abandoned). */
async function unlessForced<T>(work: Promise<T>, forceSignal: AbortSignal | undefined): Promise<T> {
  if (forceSignal === undefined) return work;
  const force = afterAbort(forceSignal);
  const stopped = force.aborted.then((): never => {
    throw new WorkerError(`${String(forceSignal.reason ?? 'interrupted')} again: stopped at once, before any trial started`, { code: 'INTERRUPTED' });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    force.cancel();
  }
}

/** Mark the study's orphaned RUNNING trials FAIL and, when retrying, enqueue each one's params again (in the store). */
async function recoverOrphans(
  study: Study,
  o: { storage: Storage; staleMs: number; retries: number; info: (m: string) => void },
): Promise<FrozenTrial[]> {
  const orphans = await reapOrphans(o.storage, study.studyId, o.staleMs, o.retries);
  const retried = new Set((await enqueueOrphanRetries(study, orphans, o.retries)).map((t) => t.retryOf));
  const all = await study.getTrials();
  for (const t of orphans) {
    const retrying = retried.has(t.number) || all.some((r) => r.retryOf === t.number) ? ', retrying it' : '';
    o.info(`trial ${t.number} was left RUNNING by a process that is gone: marked FAIL${retrying}`);
  }
  return orphans;
}

/** Trial counts by state and the best trial, after the run. */
async function summarise(study: Study): Promise<Pick<TuneSummary, 'study' | 'direction' | 'counts' | 'best'>> {
  const all = await study.getTrials();
  return { study: study.name, direction: study.direction, counts: countByState(all), best: rankCompleteTrials(all, study.direction)[0] ?? null };
}

/**
 * The most worker slots a trial of this run may train on: `--trial-train-workers` for a subsystem that trains
 * data-parallel on the pool's threads; 1 where a trial could not use them or where it is not safe to take them
 * (an objective module, a custom runner, deterministic batches, whose results must not depend on the worker count,
 * and `tune worker`, where another host's failed trial may need a slot of this process at any time).
 */
function trialTrainWorkersCap(opts: TuneOptions, r: Resolved, o: { workers: number; deterministic: boolean }): number {
  const cap = maxTrainWorkers(parseTrialTrainWorkers(opts.trialTrainWorkers ?? 'auto'));
  const usable = r.subsystem?.trainReplica !== undefined && opts.makeRunner === undefined && o.workers > 1 && !o.deterministic && opts.shared !== true;
  return usable ? cap : 1;
}

async function makeRunner(opts: TuneOptions, workers: number): Promise<TrialRunner> {
  if (opts.makeRunner !== undefined) return opts.makeRunner();
  if (workers === 0) return new InProcessRunner({ graceMs: opts.graceMs });
  const { PoolRunner } = await import('./pool.js');
  return new PoolRunner({ workers, trialTimeoutMs: opts.trialTimeoutMs ?? null, graceMs: opts.graceMs });
}

/** One structured log line per trial event (progress is too chatty for the log; epochs come as metrics). */
function logEvent(logger: Logger, e: RunEvent): void {
  if (e.type === 'trial-start') logger.info({ trial: e.number, params: e.params, trainWorkers: e.trainWorkers }, 'trial started');
  else if (e.type === 'trial-end') {
    const level = e.state === 'FAIL' ? 'error' : 'info';
    logger[level]({ trial: e.number, state: e.state, value: e.value, seconds: e.seconds, error: e.error }, `trial ${e.state.toLowerCase()}`);
  } else if (e.type === 'trial-log') logger[e.level]({ trial: e.number, ...(e.data ?? {}) }, e.message);
}

function studyTargetOf(t: TargetSpec): StudyTarget {
  return t.kind === 'objective' ? { kind: 'objective', path: t.path } : { kind: 'subsystem', name: t.name };
}
