import { WorkerError, toTrialError } from '../errors.js';
import { afterAbort } from '../util/abort.js';
import type { TrialEvents, TrialJob, TrialOutcome, TrialRunner } from './runner.js';
import { executeTrial } from './execute.js';
import { loadTarget, type LoadedTarget, type TargetSpec } from './target.js';

export interface InProcessRunnerOptions {
  /**
   * After an interrupt, how long a trial may take to stop on its own. Then it is recorded FAIL (INTERRUPTED) and
   * abandoned: code on the main thread cannot be terminated, so it runs on until the process exits. Default 10 s.
   */
  readonly graceMs?: number;
}

/** Runs trials one at a time on the main thread. The worker pool replaces it with `--workers N`. */
export class InProcessRunner implements TrialRunner {
  readonly concurrency = 1;
  readonly name = 'in-process';
  readonly #graceMs: number;
  #targets = new Map<string, Promise<LoadedTarget>>();

  constructor(opts: InProcessRunnerOptions = {}) {
    this.#graceMs = opts.graceMs ?? 10_000;
  }

  async run(job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome> {
    const key = JSON.stringify(job.target);
    let target = this.#targets.get(key);
    if (target === undefined) {
      target = loadTarget(job.target as TargetSpec);
      this.#targets.set(key, target);
    }
    const trial = (async () => settle(await executeTrial(await target, job, events, signal), signal))();
    const grace = afterAbort(signal, this.#graceMs);
    try {
      return await Promise.race([trial, grace.aborted.then(() => abandoned(job, signal, this.#graceMs))]);
    } finally {
      grace.cancel();
    }
  }

  async close(): Promise<void> {
    this.#targets.clear();
  }
}

function abandoned(job: TrialJob, signal: AbortSignal, graceMs: number): TrialOutcome {
  const e = new WorkerError(
    `${interruptCause(signal)}; trial ${job.trialNumber} did not stop within the ${graceMs} ms grace period and was abandoned; ` +
      'resume with `tune --resume`',
    { code: 'INTERRUPTED' },
  );
  return { state: 'FAIL', error: toTrialError(e) };
}

/** A trial that fails after an interrupt failed because of it: INTERRUPTED, so `--resume` runs it again (as the pool does). */
function settle(outcome: TrialOutcome, signal: AbortSignal): TrialOutcome {
  if (!signal.aborted || outcome.state !== 'FAIL' || outcome.error.code === 'INTERRUPTED') return outcome;
  const message = `${interruptCause(signal)}; the trial stopped with: ${outcome.error.message}; resume with \`tune --resume\``;
  return { state: 'FAIL', error: { message, stack: outcome.error.stack, code: 'INTERRUPTED' } };
}

function interruptCause(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? `interrupted by ${reason}` : 'interrupted';
}
