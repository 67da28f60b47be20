import type { FrozenTrial } from '../core/frozen.js';
import type { Pruner, PrunerContext } from './pruner.js';
import { decidePercentileRule, parsePercentileRule, type PercentileRule, type PercentileRuleOptions } from './percentile.js';

export type MedianPrunerOptions = PercentileRuleOptions;

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier", §3.2.2): prune a trial whose best
 * intermediate value so far is worse than the median of the other trials' values at the same step. It is the
 * percentile rule at 50, as in Optuna 3.1.
 *
 * @example
 * const pruner = new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 1 });
 * pruner.prune({ direction: 'maximize', trials }, trial, 3); // true → stop the trial
 */
export class MedianPruner implements Pruner {
  readonly #rule: PercentileRule;

  constructor(options: MedianPrunerOptions = {}) {
    this.#rule = parsePercentileRule('MedianPruner', options, 50);
  }

  /** The validated settings, defaults filled in. */
  get settings(): PercentileRule {
    return this.#rule;
  }

  prune(ctx: PrunerContext, trial: FrozenTrial, step: number): boolean {
    return decidePercentileRule('MedianPruner', this.#rule, ctx, trial, step);
  }
}
