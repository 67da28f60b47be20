import { ConfigError } from '../errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen.js';
import type { Pruner, PrunerContext } from './pruner.js';
import { lastStep, valueAtStep } from './intermediate.js';
import { autoOrIntOption, checkOptionKeys, intOption } from './options.js';

export interface SuccessiveHalvingPrunerOptions {
  /**
   * r: steps every trial gets before its first judgement. 'auto' (default) takes 1/100 of the last step of the
   * study's first COMPLETE trial (lowest number), at least 1; until one exists nothing is pruned.
   */
  readonly minResource?: number | 'auto';
  /** η ≥ 2: about 1/η of the trials reaching a rung are promoted to the next. Default 4. */
  readonly reductionFactor?: number;
  /** s ≥ 0: the first rung sits at step r·η^s. Default 0. */
  readonly minEarlyStoppingRate?: number;
  /** Prune at a rung until more than this many trials (this one included) reached it. Default 0. */
  readonly bootstrapCount?: number;
}

/** Validated successive-halving settings with a known minimum resource. */
export interface HalvingRule {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
}

/**
 * Asynchronous successive halving (ASHA; Li et al. 2018, "A System for Massively Parallel Hyperparameter
 * Tuning", Algorithm 2) with Optuna 3.1's decisions, as a pure function of trial data.
 *
 * Rung k is the step r·η^(k+s). Optuna records a trial's value when it first crosses a rung in a system attr;
 * here the pruner stores nothing, and rung membership is recomputed from intermediate values instead: a trial
 * is in rung k when it reported some step ≥ r·η^(k+s), and its rung value is the value at the first such step.
 * When the objective reports every step that is exactly the value at the rung's step; with sparser reports it
 * is the value Optuna would have recorded at that report. A trial that reported NaN there is left out (Optuna
 * prunes it before recording). Two known differences, both from Optuna's recorded state depending on history:
 * (1) with minResource 'auto', Optuna has no rungs until a trial completes, so the trials that ran before (the
 * first COMPLETE one included) never compete; here they do, by their reports. (2) A trial pruned at rung k
 * whose single report also passed rung k+1 counts in rung k+1 here, where Optuna never recorded it there.
 * tests/pruners/pruners-match-optuna-3-1 replays Optuna's own decisions on recorded studies.
 *
 * @example
 * const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
 * pruner.prune({ direction: 'minimize', trials }, trial, 9); // judged at rungs 1, 3, 9, 27, …
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly #minResource: number | 'auto';
  readonly #reductionFactor: number;
  readonly #minEarlyStoppingRate: number;
  readonly #bootstrapCount: number;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const name = 'SuccessiveHalvingPruner';
    const o = checkOptionKeys(name, options, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount']);
    this.#minResource = autoOrIntOption(name, o, 'minResource', 1);
    this.#reductionFactor = intOption(name, o, 'reductionFactor', 4, 2);
    this.#minEarlyStoppingRate = intOption(name, o, 'minEarlyStoppingRate', 0, 0);
    this.#bootstrapCount = intOption(name, o, 'bootstrapCount', 0, 0);
    if (this.#bootstrapCount > 0 && this.#minResource === 'auto') {
      throw new ConfigError(
        `${name} option \`bootstrapCount\` (${this.#bootstrapCount}) needs a fixed \`minResource\`: ` +
          "set minResource to an integer ≥ 1, or bootstrapCount to 0 to keep minResource 'auto'",
      );
    }
  }

  /**
   * The settings in force for this study snapshot: null while minResource is 'auto' and no trial is COMPLETE.
   */
  ruleFor(trials: readonly FrozenTrial[]): HalvingRule | null {
    const minResource = this.#minResource === 'auto' ? estimateMinResource(trials) : this.#minResource;
    if (minResource === null) return null;
    return {
      minResource,
      reductionFactor: this.#reductionFactor,
      minEarlyStoppingRate: this.#minEarlyStoppingRate,
      bootstrapCount: this.#bootstrapCount,
    };
  }

  prune(ctx: PrunerContext, trial: FrozenTrial, step: number): boolean {
    const rule = this.ruleFor(ctx.trials);
    if (rule === null) return false;
    const peers = ctx.trials.filter((t) => t.number !== trial.number);
    return decideSuccessiveHalving({ rule, direction: ctx.direction, peers, trial, step, pruner: 'SuccessiveHalvingPruner' });
  }
}

/** Optuna 3.1 `_estimate_min_resource`, made stable: 1/100 of the first COMPLETE trial's last step, ≥ 1. */
export function estimateMinResource(trials: readonly FrozenTrial[]): number | null {
  const first = firstCompleteLastStep(trials);
  return first === null ? null : Math.max(Math.floor(first / 100), 1);
}

/**
 * Last step of the lowest-numbered COMPLETE trial that reported anything. Optuna caches its estimate in the
 * pruner the first time it is needed (after the first trial completes); a pure pruner cannot cache, so it
 * reads the same trial every time, and the estimate never moves as the study grows.
 */
export function firstCompleteLastStep(trials: readonly FrozenTrial[]): number | null {
  let first: FrozenTrial | null = null;
  for (const t of trials) {
    if (t.state !== 'COMPLETE' || lastStep(t) === null) continue;
    if (first === null || t.number < first.number) first = t;
  }
  return first === null ? null : lastStep(first);
}

/** The step of rung k: r·η^(k+s). */
export function rungStep(rule: HalvingRule, rung: number): number {
  return rule.minResource * rule.reductionFactor ** (rule.minEarlyStoppingRate + rung);
}

/** The trial's value at the first reported step ≥ `step`, or undefined when it never got that far. */
export function rungValue(trial: FrozenTrial, step: number): number | undefined {
  // Usual case first: a value at the rung step itself is the first one at or after it.
  const exact = trial.intermediateValues.get(step);
  if (exact !== undefined) return exact;
  let firstStep = Number.POSITIVE_INFINITY;
  let value: number | undefined;
  for (const [s, v] of trial.intermediateValues) {
    if (s >= step && s < firstStep) {
      firstStep = s;
      value = v;
    }
  }
  return value;
}

/** Inputs of one successive-halving decision. `peers` are the trials competing with `trial` (not it). */
export interface HalvingDecision {
  readonly rule: HalvingRule;
  readonly direction: StudyDirection;
  readonly peers: readonly FrozenTrial[];
  readonly trial: FrozenTrial;
  readonly step: number;
  /** Name used in error messages. */
  readonly pruner: string;
}

/**
 * Optuna 3.1 `SuccessiveHalvingPruner.prune`: starting at the first rung the trial had not passed before this
 * report, while the step reaches the rung, compete against every peer in that rung; prune unless this trial
 * is promotable, else move up a rung.
 */
export function decideSuccessiveHalving(d: HalvingDecision): boolean {
  const value = valueAtStep(d.pruner, d.trial, d.step);
  let rung = currentRung(d.rule, d.trial, d.step);
  for (;;) {
    const promotionStep = rungStep(d.rule, rung);
    if (d.step < promotionStep) return false;
    if (Number.isNaN(value)) return true;
    const competing = [value];
    for (const peer of d.peers) {
      const v = rungValue(peer, promotionStep);
      if (v !== undefined && !Number.isNaN(v)) competing.push(v);
    }
    // `competing` holds this trial too, hence ≤ (Optuna's bootstrap rule).
    if (competing.length <= d.rule.bootstrapCount) return true;
    if (!isPromotable(value, competing, d.rule.reductionFactor, d.direction)) return true;
    rung += 1;
  }
}

/** Rungs the trial passed at earlier reports: those whose step its previous largest step reached. */
function currentRung(rule: HalvingRule, trial: FrozenTrial, step: number): number {
  let previous = -1;
  for (const s of trial.intermediateValues.keys()) if (s < step && s > previous) previous = s;
  let rung = 0;
  while (rungStep(rule, rung) <= previous) rung += 1;
  return rung;
}

/**
 * Promotable when the value is within the best ⌊n/η⌋ of the n competing values (ASHA's top 1/η). While fewer
 * than η trials reached the rung, only the best so far goes on: trials cannot be paused and resumed later, so
 * Optuna promotes the current leader rather than waiting (Optuna 3.1 `_is_trial_promotable_to_next_rung`).
 */
export function isPromotable(value: number, competing: readonly number[], reductionFactor: number, direction: StudyDirection): boolean {
  const promotableIndex = Math.max(Math.floor(competing.length / reductionFactor) - 1, 0);
  // value ≤ sorted[k] exactly when at most k values are strictly better; counting avoids sorting thousands.
  let strictlyBetter = 0;
  for (const v of competing) if (direction === 'maximize' ? v > value : v < value) strictlyBetter += 1;
  return strictlyBetter <= promotableIndex;
}
