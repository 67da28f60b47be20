import type { Attrs, Budget, LogLevel } from './frozen.js';

/** Where in its budget a running trial (or run) is, for live views. */
export interface TrialProgress {
  readonly epoch?: number;
  readonly epochs?: number;
  readonly batch?: number;
  readonly batches?: number;
}

/**
 * What an objective gets besides its params. The same context is used in-process and on a worker thread:
 * on a worker every call is streamed to the main thread, which alone writes the store.
 */
export interface ObjectiveContext {
  readonly trialNumber: number;
  /** Seed for the objective's own randomness (weight init, shuffling): derived from the study seed. */
  readonly seed: number;
  /** Budget for this run: `epochs`, `batchCap` (null = uncapped), and anything else the runner sets. */
  readonly budget: Budget;
  /** Aborted when the study is interrupted or the trial times out; long loops should check it. */
  readonly signal: AbortSignal;
  /** Record an intermediate objective value (what pruners look at). */
  report(step: number, value: number): void;
  /** Record named metric series at a step: `ctx.metrics(epoch, { train_loss, val_loss, lr })`. */
  metrics(step: number, values: Readonly<Record<string, number>>): void;
  /** Structured log line, kept with the trial. */
  log(level: LogLevel, message: string, data?: Attrs): void;
  /** Progress for live views: where in the budget the objective is. */
  progress(p: TrialProgress): void;
  /** Set a user attribute on the trial (e.g. the backend used). */
  setAttr(key: string, value: Attrs[string]): void;
  /** Whether the pruner wants this trial stopped, given the values reported so far. */
  shouldPrune(): boolean;
}
