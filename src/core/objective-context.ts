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
  /**
   * Whether the pruner wants this trial stopped, given the values reported so far. Once it has answered true the
   * decision holds: if the objective returns anyway, the trial is stored PRUNED (with its last reported value), not
   * COMPLETE. Stop at once with `if (ctx.shouldPrune()) ctx.prune();`.
   */
  shouldPrune(): boolean;
  /**
   * Stop this trial as pruned: throws TrialPruned (the message is the error's). The trial is stored PRUNED with its
   * last reported value.
   * @example
   * ctx.report(epoch, valLoss);
   * if (ctx.shouldPrune()) ctx.prune(`val_loss ${valLoss} at epoch ${epoch}`);
   */
  prune(message?: string): never;
}

/**
 * The line logged on a trial whose objective returned after a prune verdict at `step`: what was stored, and the fix
 * (`holder` is what the objective calls it on: `ctx` for an objective module, `trial` for define-by-run).
 */
export function prunedAnywayMessage(step: number, returned: unknown, holder: 'ctx' | 'trial' = 'ctx'): string {
  const what = typeof returned === 'number' ? String(returned) : (JSON.stringify(returned) ?? String(returned));
  return (
    `the pruner said prune at step ${step} (shouldPrune() answered true) but the objective returned ${what} instead of stopping; ` +
    `the decision holds: stored PRUNED with its last reported value. Stop at the verdict with \`if (${holder}.shouldPrune()) ${holder}.prune();\``
  );
}
