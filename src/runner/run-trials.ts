import { OBJECTIVE_SEED_KEY, RUN_STARTED_AT_KEY } from '../core/system-attrs.js';
import { StorageError, toTrialError, WorkerError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { createTrackingSink, type TrackingSink } from '../tracking/sink.js';
import { afterAbort } from '../util/abort.js';
import { keepAlive } from './keep-alive.js';
import { Rng } from '../util/rng.js';
import type { SearchSpace } from '../space/distributions.js';
import type { AttrValue, Attrs, Budget, FrozenTrial, LogLevel, TrialError, TrialState } from '../core/frozen.js';
import type { Study } from '../study/study.js';
import type { Trial } from '../study/trial.js';
import type { TrialEvents, TrialJob, TrialOutcome, TrialProgress, TrialRunner } from './runner.js';
import type { TargetSpec } from './target.js';
import { trainWorkersFor, waitForSlots } from './train-slots.js';

export type RunEvent =
  | {
      readonly type: 'trial-start';
      readonly number: number;
      readonly params: Readonly<Record<string, unknown>>;
      /** Worker slots the trial holds: its own, plus idle ones it trains on as data-parallel replicas (train-slots.ts). */
      readonly trainWorkers: number;
    }
  | { readonly type: 'trial-progress'; readonly number: number; readonly progress: TrialProgress }
  | { readonly type: 'trial-log'; readonly number: number; readonly level: LogLevel; readonly message: string; readonly data?: Attrs }
  | {
      readonly type: 'trial-end';
      readonly number: number;
      readonly state: TrialState;
      readonly value: number | null;
      readonly error: TrialError | null;
      readonly seconds: number;
    };

export interface RunTrialsOptions {
  readonly study: Study;
  /** The study's store, where trial metrics and logs go (the study itself writes trials). */
  readonly storage: Storage;
  readonly runner: TrialRunner;
  readonly target: TargetSpec;
  readonly space: SearchSpace;
  /** How many new trials to run. */
  readonly nTrials: number;
  readonly budget: Budget;
  /** Study seed (stored on each trial); each trial's objective seed is `trialSeed(seed, number)`. */
  readonly seed: number;
  readonly worker: string;
  readonly codeVersion: string | null;
  /** Stops dispatching new trials when aborted; running trials see it through their context. */
  readonly signal?: AbortSignal;
  /**
   * A second interrupt: when aborted, every trial still running is stored FAIL (code INTERRUPTED) at once, without
   * waiting for it to stop; the caller closes the runner (terminating its workers) and exits.
   */
  readonly forceSignal?: AbortSignal;
  readonly onEvent?: (e: RunEvent) => void;
  readonly heartbeatMs?: number;
  /** Retry a failed trial up to this many times (as new trials linked by retryOf), with exponential backoff. */
  readonly retries?: number;
  readonly retryBackoffMs?: number;
  /** Deterministic mode: sample and run in synchronous batches of this many trials (independent of the worker count). */
  readonly nTrialsPerBatch?: number | null;
  /** Ask only while the study has fewer COMPLETE + RUNNING trials than this (`tune worker`; see shared-study.ts). */
  readonly maxActive?: number;
  /**
   * The most worker slots one trial may train on (train-slots.ts): near the end of the run, a trial takes idle
   * slots no later trial will need as data-parallel replicas, and holds them until it ends. Default 1 (each trial
   * one slot); only the pipelined loop uses it (deterministic batches and shared studies keep 1). Set it above 1
   * only for a target whose trials can train data-parallel (`Subsystem.trainReplica`) on a runner of threads.
   */
  readonly maxTrainWorkers?: number;
  /**
   * With `maxTrainWorkers` above 1: the last trial of the run waits for slots still held by running trials, at
   * most this fraction of the mean run time of the trials this run finished (train-slots.ts `waitForSlots`), then
   * starts on the slots free. 0: it starts at once. Default 0.25.
   */
  readonly lastTrialWaitFraction?: number;
}

/** Seed handed to trial `number`'s objective: stable for (study seed, trial number), whatever process runs it. */
export function trialSeed(studySeed: number, number: number): number {
  return new Rng(studySeed, number, 0x7e57).nextUint32() >>> 1;
}

/**
 * The study manager's loop: ask (on this thread), dispatch to the runner, stream the trial's reports into the store,
 * tell. Keeps up to `runner.concurrency` trials in flight. Stops asking once the sampler's finite space (a grid) is
 * exhausted, counting running trials, so no point is handed out twice. Returns the trials it finished.
 */
export async function runTrials(opts: RunTrialsOptions): Promise<FrozenTrial[]> {
  const signal = opts.signal ?? new AbortController().signal;
  const finished = opts.nTrialsPerBatch != null ? await runBatches(opts, opts.nTrialsPerBatch, signal) : await runPipelined(opts, signal);
  return finished.sort((a, b) => a.number - b.number);
}

export async function ask(opts: RunTrialsOptions, given?: FrozenTrial): Promise<Trial> {
  // On a store with leases (PostgreSQL) every ask first fails the trials of hosts whose lease ran out, so a killed
  // host's trials are FAIL within the lease and the sampler's constant liar stops counting them; the store does it
  // in the ask's own statement (its read then sees them FAIL).
  // With --retries the reap enqueues, in its own transaction, a WAITING retry of each reaped trial with retries
  // left; this ask (this process's or any host's) claims it, so no retry is held only in this process.
  const retries = opts.retries ?? 0;
  const onReaped = (reaped: readonly FrozenTrial[]): void => {
    for (const t of reaped) {
      const retrying = retries > 0 ? '; a retry with its params is enqueued if it has retries left' : '';
      opts.onEvent?.({ type: 'trial-log', number: t.number, level: 'warn', message: `trial ${t.number}: ${t.error?.message ?? 'lease expired'}${retrying}` });
    }
  };
  return opts.study.ask({
    space: opts.space,
    worker: opts.worker,
    seed: opts.seed,
    budget: opts.budget,
    codeVersion: opts.codeVersion,
    fixedParams: given?.params,
    retryOf: given?.number,
    maxActive: opts.maxActive,
    reapExpired: opts.storage.reapExpiredLeases === undefined ? undefined : { reaper: opts.worker, retries, onReaped },
  });
}

/**
 * Keep `runner.concurrency` worker slots busy; ask the next trial as soon as one frees up. A trial holds one slot,
 * or more when it trains data-parallel on slots no later trial of this run will need (`maxTrainWorkers`,
 * train-slots.ts); it releases them all when it ends (with its retries, which run in the same slots). The last
 * trial may wait a little for the slots of trials about to end (`lastTrialWaitFraction`).
 */
async function runPipelined(opts: RunTrialsOptions, signal: AbortSignal): Promise<FrozenTrial[]> {
  const finished: FrozenTrial[] = [];
  const inFlight = new Set<Promise<void>>();
  const capacity = opts.runner.concurrency;
  const max = opts.maxTrainWorkers ?? 1;
  const ranMs: number[] = [];
  let slotsHeld = 0;
  for (let dispatched = 0; dispatched < opts.nTrials && !signal.aborted; dispatched++) {
    while (slotsHeld >= capacity) await Promise.race(inFlight);
    const toStartAfter = opts.nTrials - dispatched - 1;
    if (toStartAfter === 0 && max > 1) {
      const meanMs = ranMs.length === 0 ? 0 : ranMs.reduce((s, ms) => s + ms, 0) / ranMs.length;
      const waitMs = (opts.lastTrialWaitFraction ?? 0.25) * meanMs;
      await waitForSlots({ inFlight, free: () => capacity - slotsHeld, want: Math.min(max, capacity), waitMs, signal });
    }
    if (signal.aborted || (await opts.study.isExhausted())) break;
    // Ask here, one trial at a time, so each sample sees every earlier trial (RUNNING ones via the constant liar).
    const trial = await ask(opts);
    const trainWorkers = trainWorkersFor({ free: capacity - slotsHeld, toStartAfter, max });
    slotsHeld += trainWorkers;
    const startedMs = Date.now();
    const tracked: Promise<void> = runWithRetries(opts, trial, signal, trainWorkers)
      .then((ts) => {
        finished.push(...ts);
      })
      .finally(() => {
        ranMs.push(Date.now() - startedMs);
        slotsHeld -= trainWorkers;
        inFlight.delete(tracked);
      });
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return finished;
}

/**
 * Deterministic mode: ask a whole batch (each ask sees the earlier ones as RUNNING), run it on however many workers,
 * wait for all of it, then ask the next. What a trial is sampled from then depends only on the seed and the batch
 * size, never on the worker count or on timing.
 */
async function runBatches(opts: RunTrialsOptions, nTrialsPerBatch: number, signal: AbortSignal): Promise<FrozenTrial[]> {
  const finished: FrozenTrial[] = [];
  let exhausted = false;
  for (let done = 0; done < opts.nTrials && !signal.aborted && !exhausted; ) {
    const asked: Trial[] = [];
    for (let i = 0; i < Math.min(nTrialsPerBatch, opts.nTrials - done); i++) {
      exhausted = await opts.study.isExhausted();
      if (exhausted) break;
      asked.push(await ask(opts));
    }
    done += asked.length;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < asked.length) {
        const trial = asked[next++];
        finished.push(...(await runWithRetries(opts, trial, signal)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.runner.concurrency, asked.length) }, lane));
  }
  return finished;
}

/**
 * Run a trial; while it fails and retries are left, wait (exponential backoff) and rerun its params as a new trial.
 * A trial the store lost (TRIAL_LOST: a database server crashed before anything durable was written to it) is void:
 * reported as a warning, and the run goes on without it.
 */
export async function runWithRetries(opts: RunTrialsOptions, first: Trial, signal: AbortSignal, trainWorkers = 1): Promise<FrozenTrial[]> {
  const ran = await runAsked(opts, first, signal, trainWorkers).catch((e: unknown) => {
    if (!(e instanceof StorageError && e.code === 'TRIAL_LOST')) throw e;
    opts.onEvent?.({ type: 'trial-log', number: first.number, level: 'warn', message: e.message });
    return undefined;
  });
  if (ran === undefined) return [];
  const out: FrozenTrial[] = [ran];
  for (let attempt = 0; attempt < (opts.retries ?? 0); attempt++) {
    const last = out[out.length - 1];
    if (last.state !== 'FAIL' || last.error?.code === 'INTERRUPTED' || signal.aborted) break;
    await sleep((opts.retryBackoffMs ?? 1000) * 2 ** attempt, signal);
    if (signal.aborted) break;
    const again = await ask(opts, last).catch((e: unknown) => {
      if (e instanceof StorageError && e.code === 'STUDY_FULL') return undefined; // other hosts filled the study
      throw e;
    });
    if (again === undefined) break;
    out.push(await runAsked(opts, again, signal, trainWorkers));
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function runAsked(opts: RunTrialsOptions, trial: Trial, signal: AbortSignal, trainWorkers: number): Promise<FrozenTrial> {
  const { study } = opts;
  const seed = trialSeed(opts.seed, trial.number);
  trial.setSystemAttr(OBJECTIVE_SEED_KEY, seed);
  const started = Date.now();
  trial.setSystemAttr(RUN_STARTED_AT_KEY, new Date(started).toISOString());
  opts.onEvent?.({ type: 'trial-start', number: trial.number, params: trial.params, trainWorkers });
  const sink = createTrackingSink(opts.storage, { trialId: trial.trialId });
  // On a store with leases, renew four times per lease, so a lost heartbeat or two never lets a live trial's run out.
  const heartbeatMs = opts.heartbeatMs ?? Math.min(10_000, (opts.storage.leaseMs ?? Infinity) / 4);
  const alive = keepAlive({
    study,
    trial,
    heartbeatMs,
    onWarning: (message) => opts.onEvent?.({ type: 'trial-log', number: trial.number, level: 'warn', message }),
  });
  let outcome: TrialOutcome;
  try {
    if (signal.aborted) throw new WorkerError('interrupted before it started; resume with `tune --resume`', { code: 'INTERRUPTED' });
    outcome = await runUnlessStopped(
      opts,
      { trialNumber: trial.number, params: trial.params, budget: opts.budget, seed, target: opts.target, ...(trainWorkers > 1 ? { trainWorkers } : {}) },
      trialEvents(trial, sink, opts.onEvent),
      signal,
      alive.lost,
    );
  } catch (e) {
    outcome = { state: 'FAIL', error: toTrialError(e) };
  } finally {
    alive.stop();
  }
  // A metric or log that did not reach the store fails the trial: its record would be incomplete.
  const lost = await sink.flush().then(() => null, (e: unknown) => e);
  if (lost !== null && outcome.state !== 'FAIL') outcome = { state: 'FAIL', error: toTrialError(lost) };
  const result = outcome.state === 'COMPLETE' ? outcome.value : outcome.state === 'PRUNED' ? { state: 'PRUNED' as const } : { state: 'FAIL' as const, error: outcome.error };
  const frozen = await tellUnlessReaped(opts, trial, result);
  opts.onEvent?.({
    type: 'trial-end',
    number: frozen.number,
    state: frozen.state,
    value: frozen.value,
    error: frozen.error,
    seconds: (Date.now() - started) / 1000,
  });
  return frozen;
}

/**
 * Tells the outcome, unless another host already failed the trial because its lease expired (this worker was
 * partitioned or stalled): then the stored FAIL stands, nothing is written over it, and it is what this returns.
 */
async function tellUnlessReaped(opts: RunTrialsOptions, trial: Trial, result: Parameters<Study['tell']>[1]): Promise<FrozenTrial> {
  try {
    return await opts.study.tell(trial, result);
  } catch (e) {
    if (!(e instanceof StorageError && e.code === 'TRIAL_FINISHED' && opts.storage.reapExpiredLeases !== undefined)) throw e;
    return opts.storage.getTrial(trial.trialId);
  }
}

/**
 * The runner's outcome; or FAIL as soon as `forceSignal` aborts (INTERRUPTED) or the trial's lease is `lost` to
 * another host, leaving the runner's work behind. A lost trial's runner is told to stop too (its signal aborts),
 * and whatever it returns is never written: the store already holds that trial's FAIL.
 */
async function runUnlessStopped(opts: RunTrialsOptions, job: TrialJob, events: TrialEvents, signal: AbortSignal, lost: AbortSignal): Promise<TrialOutcome> {
  const run = opts.runner.run(job, events, AbortSignal.any([signal, lost]));
  const force = opts.forceSignal === undefined ? undefined : afterAbort(opts.forceSignal);
  const leaseLost = afterAbort(lost);
  try {
    return await Promise.race([
      run,
      leaseLost.aborted.then(() => leaseLostOutcome(job)),
      ...(force ? [force.aborted.then(() => forcedOutcome(job, opts.forceSignal?.reason))] : []),
    ]);
  } finally {
    force?.cancel();
    leaseLost.cancel();
  }
}

function leaseLostOutcome(job: TrialJob): TrialOutcome {
  const e = new WorkerError(`trial ${job.trialNumber} was stopped: another host failed it after its lease ran out`, { code: 'WORKER' });
  return { state: 'FAIL', error: toTrialError(e) };
}

function forcedOutcome(job: TrialJob, reason: unknown): TrialOutcome {
  const why = typeof reason === 'string' ? `${reason} again` : 'a second interrupt';
  const e = new WorkerError(`${why}: trial ${job.trialNumber} was stopped at once, without its grace period; resume with \`tune --resume\``, {
    code: 'INTERRUPTED',
  });
  return { state: 'FAIL', error: toTrialError(e) };
}

function trialEvents(trial: Trial, sink: TrackingSink, onEvent: RunTrialsOptions['onEvent']): TrialEvents {
  return {
    report: (step, value) => trial.report(step, value),
    metrics: (step, values) => sink.metrics(step, values),
    log: (level, message, data) => {
      sink.log(level, message, data);
      onEvent?.({ type: 'trial-log', number: trial.number, level, message, data });
    },
    progress: (p) => onEvent?.({ type: 'trial-progress', number: trial.number, progress: p }),
    setAttr: (key: string, value: AttrValue) => trial.setUserAttr(key, value),
    // The verdict only: executeTrial alone knows whether the objective was told (and so whether the decision holds).
    shouldPrune: () => trial.pruneVerdict(),
  };
}
