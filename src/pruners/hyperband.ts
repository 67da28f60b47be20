import { ConfigError } from '../errors.js';
import type { FrozenTrial } from '../core/frozen.js';
import type { Pruner, PrunerContext } from './pruner.js';
import { crc32 } from './crc32.js';
import { autoOrIntOption, checkOptionKeys, intOption, stringOption } from './options.js';
import { decideSuccessiveHalving, firstCompleteLastStep } from './successive-halving.js';

export interface HyperbandPrunerOptions {
  /** r: the first rung of the most aggressive bracket. Default 1. */
  readonly minResource?: number;
  /**
   * R: the most steps a trial runs. 'auto' (default) takes the last step + 1 of the study's first COMPLETE
   * trial (lowest number); nothing is pruned until one exists.
   */
  readonly maxResource?: number | 'auto';
  /** η ≥ 2, as in successive halving. Default 3. */
  readonly reductionFactor?: number;
  /** Successive halving's bootstrap count, per bracket; needs a fixed maxResource. Default 0. */
  readonly bootstrapCount?: number;
  /** Mixed into the bracket hash as `${studyName}_${trialNumber}`; the study's name reproduces Optuna's brackets. */
  readonly studyName?: string;
}

/** How the study's trials are spread over brackets, once R is known. */
export interface HyperbandLayout {
  readonly maxResource: number;
  readonly nBrackets: number;
  /** Relative share of trials per bracket: Hyperband's n_s = ⌈B·η^s/(s+1)⌉ with s = nBrackets − 1 − bracket. */
  readonly budgets: readonly number[];
  readonly totalBudget: number;
}

/**
 * Hyperband (Li et al. 2018, JMLR 18(185), Algorithm 1) over asynchronous successive halving, as Optuna 3.1
 * runs it: ⌊log_η(R/r)⌋ + 1 brackets, bracket b being successive halving with minEarlyStoppingRate b. A trial's
 * bracket is a pure function of its number, CRC-32(`${studyName}_${number}`) mod the total budget walked over
 * the bracket budgets, so brackets partition the trials, and a trial only competes with trials of its bracket.
 * Rungs come from intermediate values, as in SuccessiveHalvingPruner (whose notes on differences apply: with
 * maxResource 'auto' the trials run before the first completion compete here, not in Optuna).
 *
 * @example
 * const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
 * pruner.bracketOf([], 7);                            // which bracket trial 7 runs in (0..3)
 * pruner.prune({ direction: 'minimize', trials }, trial, 9);
 */
export class HyperbandPruner implements Pruner {
  readonly #minResource: number;
  readonly #maxResource: number | 'auto';
  readonly #reductionFactor: number;
  readonly #bootstrapCount: number;
  readonly #studyName: string;
  /** Memo of bracketInLayout by trial number for the layout of `#memoKey` (pure, so safe to cache). */
  #memo = new Map<number, number>();
  #memoKey = '';

  constructor(options: HyperbandPrunerOptions = {}) {
    const name = 'HyperbandPruner';
    const o = checkOptionKeys(name, options, ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount', 'studyName']);
    this.#minResource = intOption(name, o, 'minResource', 1, 1);
    this.#maxResource = autoOrIntOption(name, o, 'maxResource', 1);
    this.#reductionFactor = intOption(name, o, 'reductionFactor', 3, 2);
    this.#bootstrapCount = intOption(name, o, 'bootstrapCount', 0, 0);
    this.#studyName = stringOption(name, o, 'studyName', '');
    if (this.#maxResource !== 'auto' && this.#maxResource < this.#minResource) {
      throw new ConfigError(
        `${name} option \`maxResource\` (${this.#maxResource}) is below \`minResource\` (${this.#minResource}): ` +
          'raise maxResource to the number of steps a full trial runs, or lower minResource',
      );
    }
    if (this.#bootstrapCount > 0 && this.#maxResource === 'auto') {
      throw new ConfigError(
        `${name} option \`bootstrapCount\` (${this.#bootstrapCount}) needs a fixed \`maxResource\`: ` +
          "set maxResource to an integer, or bootstrapCount to 0 to keep maxResource 'auto'",
      );
    }
  }

  /** The bracket layout for this study snapshot; null while R is 'auto' and no trial is COMPLETE. */
  layoutFor(trials: readonly FrozenTrial[]): HyperbandLayout | null {
    let maxResource: number;
    if (this.#maxResource === 'auto') {
      const last = firstCompleteLastStep(trials);
      if (last === null) return null;
      maxResource = last + 1;
    } else {
      maxResource = this.#maxResource;
    }
    const nBrackets = countBrackets(this.#minResource, maxResource, this.#reductionFactor);
    const budgets: number[] = [];
    for (let b = 0; b < nBrackets; b++) {
      const s = nBrackets - 1 - b;
      budgets.push(Math.ceil((nBrackets * this.#reductionFactor ** s) / (s + 1)));
    }
    return { maxResource, nBrackets, budgets, totalBudget: budgets.reduce((a, x) => a + x, 0) };
  }

  /** The bracket of trial `trialNumber` (0 = most aggressive); null while the layout is unknown. */
  bracketOf(trials: readonly FrozenTrial[], trialNumber: number): number | null {
    const layout = this.layoutFor(trials);
    if (layout === null || layout.nBrackets === 0) return null;
    return this.#bracket(layout, trialNumber);
  }

  /** CRC-32 per trial per decision is most of the cost at thousands of trials; the answer never changes. */
  #bracket(layout: HyperbandLayout, trialNumber: number): number {
    const key = layout.budgets.join(',');
    if (key !== this.#memoKey) {
      this.#memo = new Map();
      this.#memoKey = key;
    }
    let bracket = this.#memo.get(trialNumber);
    if (bracket === undefined) {
      bracket = bracketInLayout(layout, this.#studyName, trialNumber);
      this.#memo.set(trialNumber, bracket);
    }
    return bracket;
  }

  prune(ctx: PrunerContext, trial: FrozenTrial, step: number): boolean {
    const layout = this.layoutFor(ctx.trials);
    if (layout === null || layout.nBrackets === 0) return false;
    const bracket = this.#bracket(layout, trial.number);
    const peers = ctx.trials.filter((t) => t.number !== trial.number && this.#bracket(layout, t.number) === bracket);
    const rule = {
      minResource: this.#minResource,
      reductionFactor: this.#reductionFactor,
      minEarlyStoppingRate: bracket,
      bootstrapCount: this.#bootstrapCount,
    };
    return decideSuccessiveHalving({ rule, direction: ctx.direction, peers, trial, step, pruner: 'HyperbandPruner' });
  }
}

/**
 * ⌊log_η(R/r)⌋ + 1, counted in integers: the number of s ≥ 0 with r·η^s ≤ R. (Optuna takes a floating-point
 * log, which lands one short at exact powers such as R/r = 243, η = 3; 0 when R < r, which prunes nothing.)
 */
export function countBrackets(minResource: number, maxResource: number, reductionFactor: number): number {
  let n = 0;
  for (let resource = minResource; resource <= maxResource; resource *= reductionFactor) n += 1;
  return n;
}

/** Walk CRC-32 mod the total budget over the per-bracket budgets (Optuna 3.1 `_get_bracket_id`). */
export function bracketInLayout(layout: HyperbandLayout, studyName: string, trialNumber: number): number {
  let n = crc32(`${studyName}_${trialNumber}`) % layout.totalBudget;
  for (let b = 0; b < layout.nBrackets; b++) {
    n -= layout.budgets[b];
    if (n < 0) return b;
  }
  throw new RangeError(`bracket walk overran ${layout.nBrackets} brackets: budgets do not sum to the total`);
}
