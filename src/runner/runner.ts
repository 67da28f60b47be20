import type { ParamValue } from '../space/distributions.js';
import type { AttrValue, Attrs, Budget, LogLevel, TrialError } from '../core/frozen.js';
import type { TrialProgress } from '../core/objective-context.js';
import type { TargetSpec } from './target.js';

export type { TrialProgress };

/** Everything a runner needs to run one trial; plain data so it can be posted to a worker thread. */
export interface TrialJob {
  readonly trialNumber: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly budget: Budget;
  readonly seed: number;
  readonly target: TargetSpec;
  /**
   * Worker threads the trial may train on, data-parallel: its own and `trainWorkers − 1` idle worker slots the
   * study manager reserved for it until it ends (train-slots.ts). Absent: 1.
   */
  readonly trainWorkers?: number;
}

/** What a running trial streams back to the study manager (the only writer to the store). */
export interface TrialEvents {
  report(step: number, value: number): void;
  metrics(step: number, values: Readonly<Record<string, number>>): void;
  log(level: LogLevel, message: string, data?: Attrs): void;
  progress(p: TrialProgress): void;
  setAttr(key: string, value: AttrValue): void;
  shouldPrune(): boolean;
}

export type TrialOutcome =
  | { readonly state: 'COMPLETE'; readonly value: number }
  | { readonly state: 'PRUNED' }
  | { readonly state: 'FAIL'; readonly error: TrialError };

/**
 * The seam between the study manager and where objectives execute: in this process (InProcessRunner) or on a
 * worker-thread pool. `concurrency` is how many trials it runs at once.
 */
export interface TrialRunner {
  readonly concurrency: number;
  readonly name: string;
  run(job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome>;
  close(): Promise<void>;
}
