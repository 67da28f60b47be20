import type { ParamsOf, SearchSpace } from '../space/distributions.js';
import type { Attrs, Budget, LogLevel, StudyDirection } from './frozen.js';

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
  progress(p: { epoch?: number; epochs?: number; batch?: number; batches?: number }): void;
  /** Set a user attribute on the trial (e.g. the backend used). */
  setAttr(key: string, value: Attrs[string]): void;
  /** Whether the pruner wants this trial stopped, given the values reported so far. */
  shouldPrune(): boolean;
}

/** A declared-space objective: `export default defineObjective({ space, direction, run })`. */
export interface ObjectiveDefinition<S extends SearchSpace = SearchSpace> {
  readonly space: S;
  readonly direction?: StudyDirection;
  /** Name of the value returned by `run`, for display (`val_loss`). */
  readonly metric?: string;
  run(params: ParamsOf<S>, ctx: ObjectiveContext): number | Promise<number>;
}

export const OBJECTIVE_BRAND = Symbol.for('parzen.objective');

/**
 * Declare an objective module for `tune --objective path/to/file.ts`. Parameter types are inferred from the space.
 * @example
 * import { defineObjective, float } from 'parzen';
 * export default defineObjective({
 *   space: { x: float(-5, 10), y: float(0, 15) },
 *   direction: 'minimize',
 *   run: ({ x, y }) => (y - 5.1 / (4 * Math.PI ** 2) * x * x + 5 / Math.PI * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10,
 * });
 */
export function defineObjective<const S extends SearchSpace>(def: ObjectiveDefinition<S>): ObjectiveDefinition<S> {
  return Object.freeze({ ...def, [OBJECTIVE_BRAND]: true });
}
