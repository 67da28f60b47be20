import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ConfigError, WorkerError, toTrialError } from '../errors.js';
import { createControl, publishCancel, publishPruneVerdict, type MainToWorker, type WorkerTask, type WorkerToMain } from './protocol.js';
import type { TrialEvents, TrialJob, TrialOutcome, TrialRunner } from './runner.js';

export interface PoolRunnerOptions {
  /** Worker threads, i.e. trials run at once. Default: `os.availableParallelism()`. */
  readonly workers?: number;
  /** A trial running longer fails with code TIMEOUT and its worker is terminated. null/undefined: no limit. */
  readonly trialTimeoutMs?: number | null;
  /** V8 old-generation heap cap per worker; a trial that exceeds it fails with code WORKER. Default: Node's. */
  readonly maxOldGenerationMb?: number;
  /** After an interrupt, how long a trial may take to stop on its own before its worker is terminated. Default 10 s. */
  readonly graceMs?: number;
  /** Called when a worker dies while running no trial (no trial to fail). Default: a process warning. */
  readonly onIdleWorkerError?: (error: Error) => void;
}

/** Why the main thread stopped a task itself, if it did. */
type StopReason = 'timeout' | 'load-timeout' | 'interrupt' | null;

const DEFAULT_GRACE_MS = 10_000;

/**
 * Runs trials on a piscina pool of worker threads, `workers` at a time. A trial behaves exactly as in-process (the
 * worker calls the same `executeTrial`), and whatever it does cannot stop the study: a crash of its worker
 * (uncaught async error, `process.exit`, running out of memory) or a timeout resolves FAIL with code WORKER or
 * TIMEOUT and piscina starts a replacement thread. `run()` never rejects once the pool is open.
 * @example
 * const runner = new PoolRunner({ workers: 4, trialTimeoutMs: 60_000 });
 * try {
 *   await runTrials({ study, runner, target: { kind: 'objective', path: '/abs/objective.js' }, ... });
 * } finally {
 *   await runner.close();
 * }
 */
export class PoolRunner implements TrialRunner {
  readonly concurrency: number;
  readonly name = 'pool';
  readonly #pool: Piscina<WorkerTask, TrialOutcome>;
  readonly #trialTimeoutMs: number | null;
  readonly #graceMs: number;
  #closed = false;

  constructor(opts: PoolRunnerOptions = {}) {
    const workers = opts.workers ?? availableParallelism();
    checkPositiveInteger('workers', workers, '--workers');
    if (opts.trialTimeoutMs !== undefined && opts.trialTimeoutMs !== null) checkPositive('trialTimeoutMs', opts.trialTimeoutMs, '--trial-timeout');
    if (opts.maxOldGenerationMb !== undefined) checkPositive('maxOldGenerationMb', opts.maxOldGenerationMb, 'the pool options');
    if (opts.graceMs !== undefined && !(Number.isFinite(opts.graceMs) && opts.graceMs >= 0)) {
      throw new ConfigError(`PoolRunner: graceMs must be a finite number ≥ 0 (milliseconds), got ${String(opts.graceMs)}`, { code: 'USAGE' });
    }
    this.concurrency = workers;
    this.#trialTimeoutMs = opts.trialTimeoutMs ?? null;
    this.#graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
    this.#pool = new Piscina<WorkerTask, TrialOutcome>({
      filename: workerEntry(),
      minThreads: workers,
      maxThreads: workers,
      // Keep threads (and the objective modules they imported) for the whole study; piscina skips the idle timer.
      idleTimeout: Infinity,
      resourceLimits: opts.maxOldGenerationMb === undefined ? undefined : { maxOldGenerationSizeMb: opts.maxOldGenerationMb },
    });
    // piscina emits 'error' for a worker that dies with no task on it; unhandled, that event would kill the process.
    const onIdle = opts.onIdleWorkerError ?? ((e: Error) => process.emitWarning(`a pool worker crashed while idle: ${e.message}`, 'ParzenPoolWarning'));
    this.#pool.on('error', onIdle);
  }

  /** Run one trial on a worker thread. Resolves with its outcome; never rejects for anything the trial does. */
  async run(job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome> {
    if (this.#closed) throw new WorkerError('PoolRunner.run: the pool is closed; create a new PoolRunner to run more trials');
    const { port1, port2 } = new MessageChannel();
    const control = createControl();
    const relay = new EventRelay(events, control);
    port1.on('message', (m) => relay.handle(m));
    // Listen from the start: the worker may close its side before a crash is reported.
    const portClosed = once(port1, 'close').then(() => undefined);
    const taskAbort = new AbortController();
    let stopReason: StopReason = null;
    const stop = (reason: Exclude<StopReason, null>): void => {
      stopReason ??= reason;
      taskAbort.abort(new WorkerError(`trial stopped: ${reason}`, { code: reason === 'interrupt' ? 'INTERRUPTED' : 'TIMEOUT' }));
    };
    const timers: NodeJS.Timeout[] = [];
    // The trial timeout counts the objective's own run, from the worker's `started`: starting a thread and importing
    // the target (tsx, TensorFlow.js) take seconds on a busy machine and are not the objective's fault. Loading gets
    // its own, longer allowance, so a module that hangs at import still ends.
    const trialTimeoutMs = this.#trialTimeoutMs;
    if (trialTimeoutMs !== null) {
      const loading = setTimeout(() => stop('load-timeout'), loadAllowanceMs(trialTimeoutMs));
      timers.push(loading);
      relay.onStarted = () => {
        clearTimeout(loading);
        timers.push(setTimeout(() => stop('timeout'), trialTimeoutMs));
      };
    }
    const onInterrupt = (): void => {
      relay.markCancelled(interruptCause(signal));
      publishCancel(control);
      port1.postMessage({ type: 'cancel', reason: `the study was ${interruptCause(signal)}` } satisfies MainToWorker);
      timers.push(setTimeout(() => stop('interrupt'), this.#graceMs));
    };
    if (signal.aborted) onInterrupt();
    else signal.addEventListener('abort', onInterrupt, { once: true });
    try {
      const task = this.#pool.run({ job, port: port2, control }, { transferList: [port2], signal: taskAbort.signal });
      const raw = await task.then(
        () => relay.done,
        async (e: unknown) => {
          // Messages the worker posted before it died may still be queued on the port; let them through first.
          await relay.drained(portClosed);
          return relay.outcome ?? this.#stoppedOutcome(job, stopReason, e, signal);
        },
      );
      return relay.settle(raw);
    } finally {
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener('abort', onInterrupt);
      port1.close();
    }
  }

  /** Terminate every worker. Trials still running resolve FAIL (code WORKER). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.destroy();
  }

  #stoppedOutcome(job: TrialJob, reason: StopReason, cause: unknown, signal: AbortSignal): TrialOutcome {
    if (reason === 'load-timeout') {
      const e = new WorkerError(
        `trial ${job.trialNumber}: its objective did not finish loading within ${loadAllowanceMs(this.#trialTimeoutMs ?? 0)} ms ` +
          '(the loading allowance of --trial-timeout); check the module for work at import time; its worker was terminated',
        { code: 'TIMEOUT', cause },
      );
      return { state: 'FAIL', error: toTrialError(e) };
    }
    if (reason === 'timeout') {
      const e = new WorkerError(
        `trial ${job.trialNumber} ran past the ${this.#trialTimeoutMs} ms trial timeout (--trial-timeout); its worker was terminated`,
        { code: 'TIMEOUT', cause },
      );
      return { state: 'FAIL', error: toTrialError(e) };
    }
    if (reason === 'interrupt') {
      const e = new WorkerError(
        `${interruptCause(signal)}; trial ${job.trialNumber} did not stop within the ${this.#graceMs} ms grace period and its worker ` +
          `was terminated; ${RESUME_HINT}`,
        { code: 'INTERRUPTED', cause },
      );
      return { state: 'FAIL', error: toTrialError(e) };
    }
    const described = toTrialError(cause);
    const why = this.#closed ? 'the pool was closed while it ran' : described.message;
    return { state: 'FAIL', error: { message: `worker crashed: ${why}`, stack: described.stack, code: 'WORKER' } };
  }
}

const RESUME_HINT = 'resume with `tune --resume`';

/** How long a worker may take to start and import a trial's target before the trial fails: the timeout, at least a minute. */
function loadAllowanceMs(trialTimeoutMs: number): number {
  return Math.max(trialTimeoutMs, 60_000);
}

/**
 * "interrupted by SIGTERM" when the study's AbortController was aborted with a signal name as its reason
 * (`controller.abort('SIGTERM')`), else "interrupted by SIGINT/SIGTERM".
 */
function interruptCause(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? `interrupted by ${reason}` : 'interrupted by SIGINT/SIGTERM';
}

/** The compiled worker entry next to this module; under tsx (running the .ts sources) the .ts entry. */
function workerEntry(): string {
  const self = import.meta.url;
  return new URL(self.endsWith('.ts') ? './worker.ts' : './worker.js', self).href;
}

function checkPositiveInteger(field: string, value: number, flag: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`PoolRunner: ${field} must be a whole number ≥ 1 (set it with ${flag}), got ${String(value)}`, { code: 'USAGE' });
  }
}

function checkPositive(field: string, value: number, flag: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`PoolRunner: ${field} must be a finite number > 0 (set it with ${flag}), got ${String(value)}`, { code: 'USAGE' });
  }
}

/**
 * Main-thread side of one trial's port: replays each worker message as a `TrialEvents` call, in arrival order, and
 * answers every report with the pruner's verdict through the control block (see protocol.ts).
 */
class EventRelay {
  /** The worker's own outcome, once its `done` message arrived. */
  outcome: TrialOutcome | undefined;
  /** Called when the worker says the objective starts (its target is loaded). */
  onStarted: () => void = () => undefined;
  readonly done: Promise<TrialOutcome>;
  readonly #events: TrialEvents;
  readonly #control: SharedArrayBuffer;
  #resolveDone!: (o: TrialOutcome) => void;
  /** First exception thrown by a main-thread callback (e.g. `report` refusing NaN): it fails the trial. */
  #callbackError: { error: unknown } | undefined;
  /** Set when the study was interrupted before the outcome arrived: how it was interrupted. */
  #interrupted: string | undefined;

  constructor(events: TrialEvents, control: SharedArrayBuffer) {
    this.#events = events;
    this.#control = control;
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  handle(m: WorkerToMain): void {
    if (m.type === 'started') {
      this.onStarted();
      return;
    }
    if (m.type === 'done') {
      this.outcome = m.outcome;
      this.#resolveDone(m.outcome);
      return;
    }
    if (m.type === 'report') {
      let prune = false;
      try {
        this.#events.report(m.step, m.value);
        prune = this.#events.shouldPrune();
      } catch (e) {
        this.#callbackError ??= { error: e };
      } finally {
        // Always answer, or the worker's shouldPrune() would wait for a verdict that never comes.
        publishPruneVerdict(this.#control, m.seq, prune);
      }
      return;
    }
    try {
      this.#dispatch(m);
    } catch (e) {
      this.#callbackError ??= { error: e };
    }
  }

  #dispatch(m: Exclude<WorkerToMain, { type: 'done' | 'report' | 'started' }>): void {
    switch (m.type) {
      case 'metrics':
        return this.#events.metrics(m.step, m.values);
      case 'log':
        return this.#events.log(m.level, m.message, m.data);
      case 'progress':
        return this.#events.progress(m.progress);
      case 'setAttr':
        return this.#events.setAttr(m.key, m.value);
    }
  }

  /** The study was interrupted while the trial ran (before its outcome arrived). */
  markCancelled(cause: string): void {
    if (this.outcome === undefined) this.#interrupted = cause;
  }

  /**
   * Wait until the dead worker's side of the port is closed, by which time every message it posted has been
   * delivered. Bounded, in case a runtime never reports the close.
   */
  async drained(closed: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
    });
    await Promise.race([closed, cap]);
    clearTimeout(timer);
  }

  /**
   * The outcome to hand the study: a main-thread callback failure fails the trial (in-process, that exception would
   * have been thrown inside the objective); a failure after an interrupt is recorded as INTERRUPTED, so retries skip it
   * and `--resume` runs the trial again.
   */
  settle(raw: TrialOutcome): TrialOutcome {
    if (this.#callbackError !== undefined && raw.state !== 'FAIL') return { state: 'FAIL', error: toTrialError(this.#callbackError.error) };
    if (this.#interrupted !== undefined && raw.state === 'FAIL' && raw.error.code !== 'INTERRUPTED') {
      const message = `${this.#interrupted}; the trial stopped with: ${raw.error.message}; ${RESUME_HINT}`;
      return { state: 'FAIL', error: { message, stack: raw.error.stack, code: 'INTERRUPTED' } };
    }
    return raw;
  }
}
