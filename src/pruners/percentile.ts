import type { FrozenTrial, StudyDirection } from '../core/frozen.js';
import type { Pruner, PrunerContext } from './pruner.js';
import { bestIntermediateValue, isFirstInIntervalStep, nanPercentile, valueAtStep } from './intermediate.js';
import { boolOption, checkOptionKeys, intOption, numberOption } from './options.js';

/** Options shared by the median and percentile pruners. */
export interface PercentileRuleOptions {
  /** Pruning is off until this many trials of the study are COMPLETE. Default 5. */
  readonly nStartupTrials?: number;
  /** Pruning is off while the trial's step is below this (steps start at 0). Default 0. */
  readonly nWarmupSteps?: number;
  /** Check every this many steps after the warm-up; a missed check happens at the next report. Default 1. */
  readonly intervalSteps?: number;
  /** Never prune at a step where fewer than this many comparison trials reported a value. Default 1. */
  readonly nMinTrials?: number;
  /**
   * Also compare against PRUNED trials' values at the step (they still count towards nMinTrials, never
   * towards nStartupTrials). Default false, as in Optuna 3.1, which compares against COMPLETE trials only:
   * pruned trials are the bad ones, and letting them in lowers the bar for everyone else.
   */
  readonly includePruned?: boolean;
}

export interface PercentilePrunerOptions extends PercentileRuleOptions {
  /** Keep the trials in the best `percentile` per cent at each step, 0 ≤ percentile ≤ 100 (required). */
  readonly percentile: number;
}

/** The validated settings of a percentile rule. */
export interface PercentileRule {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;
  readonly includePruned: boolean;
}

const RULE_KEYS = ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials', 'includePruned'] as const;

/** Validates the shared options; `percentile` comes from the caller (the median pruner fixes it at 50). */
export function parsePercentileRule(pruner: string, options: unknown, percentile: number | 'from-options'): PercentileRule {
  const keys = percentile === 'from-options' ? ['percentile', ...RULE_KEYS] : [...RULE_KEYS];
  const o = checkOptionKeys(pruner, options, keys);
  return {
    percentile: percentile === 'from-options' ? numberOption(pruner, o, 'percentile', { min: 0, max: 100 }) : percentile,
    nStartupTrials: intOption(pruner, o, 'nStartupTrials', 5, 0),
    nWarmupSteps: intOption(pruner, o, 'nWarmupSteps', 0, 0),
    intervalSteps: intOption(pruner, o, 'intervalSteps', 1, 1),
    nMinTrials: intOption(pruner, o, 'nMinTrials', 1, 1),
    includePruned: boolOption(pruner, o, 'includePruned', false),
  };
}

/**
 * The percentile stopping rule (Optuna 3.1 `PercentilePruner.prune`), as a pure function of the trials:
 * prune when the trial's best value so far is worse than the `percentile`-th best of the other trials' values
 * at the same step.
 */
export function decidePercentileRule(
  pruner: string,
  rule: PercentileRule,
  ctx: PrunerContext,
  trial: FrozenTrial,
  step: number,
): boolean {
  valueAtStep(pruner, trial, step);
  const others = ctx.trials.filter((t) => t.number !== trial.number);
  const nComplete = others.filter((t) => t.state === 'COMPLETE').length;
  if (nComplete === 0 || nComplete < rule.nStartupTrials) return false;
  if (step < rule.nWarmupSteps) return false;
  if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), rule.nWarmupSteps, rule.intervalSteps)) {
    return false;
  }
  const best = bestIntermediateValue(trial, ctx.direction);
  // A trial that has reported nothing but NaN is going nowhere.
  if (Number.isNaN(best)) return true;
  const threshold = percentileAtStep(others, rule, ctx.direction, step);
  if (Number.isNaN(threshold)) return false;
  return ctx.direction === 'maximize' ? best < threshold : best > threshold;
}

/**
 * The comparison value at `step`: the `percentile`-th best value of the comparison trials that reported there;
 * NaN (do not prune) when fewer than nMinTrials did. "Best" flips the percentile for maximisation, so 25 means
 * "the best quarter survives" whichever the direction.
 */
function percentileAtStep(others: readonly FrozenTrial[], rule: PercentileRule, direction: StudyDirection, step: number): number {
  const values: number[] = [];
  for (const t of others) {
    if (t.state !== 'COMPLETE' && !(rule.includePruned && t.state === 'PRUNED')) continue;
    const v = t.intermediateValues.get(step);
    if (v !== undefined) values.push(v);
  }
  if (values.length < rule.nMinTrials) return Number.NaN;
  return nanPercentile(values, direction === 'maximize' ? 100 - rule.percentile : rule.percentile);
}

/**
 * Prunes a trial whose best intermediate value so far is outside the best `percentile` per cent of the other
 * trials' values at the same step (Optuna 3.1 semantics, including the startup, warm-up, interval and
 * minimum-trials rules; NaN values are ignored, and a trial reporting only NaN is pruned).
 *
 * @example
 * const pruner = new PercentilePruner({ percentile: 25, nStartupTrials: 5, nWarmupSteps: 2 });
 * if (pruner.prune({ direction: 'minimize', trials }, trial, step)) throw new TrialPruned();
 */
export class PercentilePruner implements Pruner {
  readonly #rule: PercentileRule;

  constructor(options: PercentilePrunerOptions) {
    this.#rule = parsePercentileRule('PercentilePruner', options, 'from-options');
  }

  /** The validated settings, defaults filled in. */
  get settings(): PercentileRule {
    return this.#rule;
  }

  prune(ctx: PrunerContext, trial: FrozenTrial, step: number): boolean {
    return decidePercentileRule('PercentilePruner', this.#rule, ctx, trial, step);
  }
}
