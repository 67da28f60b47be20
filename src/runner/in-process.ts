import type { TrialEvents, TrialJob, TrialOutcome, TrialRunner } from './runner.js';
import { executeTrial } from './execute.js';
import { loadTarget, type LoadedTarget, type TargetSpec } from './target.js';

/** Runs trials one at a time on the main thread. The worker pool replaces it with `--workers N`. */
export class InProcessRunner implements TrialRunner {
  readonly concurrency = 1;
  readonly name = 'in-process';
  #targets = new Map<string, Promise<LoadedTarget>>();

  async run(job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome> {
    const key = JSON.stringify(job.target);
    let target = this.#targets.get(key);
    if (target === undefined) {
      target = loadTarget(job.target as TargetSpec);
      this.#targets.set(key, target);
    }
    return executeTrial(await target, job, events, signal);
  }

  async close(): Promise<void> {
    this.#targets.clear();
  }
}
