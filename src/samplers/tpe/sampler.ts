import type { Distribution, ParamValue, SearchSpace } from '../../space/distributions.js';
import { isSingle, toExternal, toInternal } from '../../space/distributions.js';
import type { FrozenTrial } from '../../core/frozen.js';
import { Rng, hashString } from '../../util/rng.js';
import { QMCSampler } from '../qmc/qmc-sampler.js';
import { sampleUniform } from '../random.js';
import type { Sampler, SamplerContext } from '../sampler.js';
import { resolveSeed } from '../seed.js';
import { type ResolvedTPEOptions, type TPESamplerOptions, nBelow, resolveTPEOptions } from './options.js';
import { type GivenWeights, buildParzenEstimator } from './parzen-estimator.js';
import { parzenLogPdf, sampleParzenEstimator } from './parzen-density.js';
import { IntersectionSearchSpaceCache } from './search-space.js';
import { ObservationColumns } from './observations.js';
import { type SplitTrials, groupObservations, splitObservations } from './split-trials.js';
import { RepeatMemo, nearObservations, observedTrials } from './tied-values.js';

/** Seed-mixing tag for the joint (multivariate) draw, distinct from every parameter name's hash. */
const RELATIVE_TAG = hashString('\u0000parzen:relative');

/**
 * The candidate that maximises l(x)/g(x), which for TPE's model is the maximiser of expected improvement
 * (Bergstra et al. 2011, eq. 3 – 4). Returns the index of the first best; NaN scores never win.
 */
export function argmaxRatio(logL: Float64Array, logG: Float64Array): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let j = 0; j < logL.length; j++) {
    const s = logL[j] - logG[j];
    if (s > bestScore) {
      bestScore = s;
      best = j;
    }
  }
  return best;
}

/**
 * Good-group kernel weights ∝ the improvement of each good trial over the best bad one, max(ε, y* - y_i), the
 * prior weighted by their mean (Watanabe 2023's "EI" weighting, Table 3: l(x) then approximates the EI integrand rather than the
 * density of good points). undefined — fall back to age weights — when a good trial has no plain value
 * (pruned) or no bad trial has one. Repeated values (`tiedValues`) never set the threshold: under 'above' the
 * repeats of a good trial's value sit in the bad group, and y* from them would zero every good trial's weight.
 */
export function improvementWeights(split: SplitTrials, belowLosses: Float64Array): GivenWeights | undefined {
  let threshold = Infinity;
  for (let i = 0; i < split.isBelow.length; i++) {
    if (split.repeat !== undefined && split.repeat[i] === 1) continue;
    if (split.isBelow[i] === 0 && split.losses[i] < threshold) threshold = split.losses[i];
  }
  if (!Number.isFinite(threshold) || belowLosses.length === 0) return undefined;
  const w = new Float64Array(belowLosses.length);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(belowLosses[i])) return undefined;
    sum += w[i] = Math.max(1e-12, threshold - belowLosses[i]);
  }
  return { observations: w, prior: sum / w.length };
}

/**
 * One TPE step over `space`: fit l(x) to the good trials and g(x) to the bad, draw candidates from l, keep the
 * one with the best l/g (the best whose configuration is not in `seen`, when given). Returns internal values, one
 * per dimension.
 */
export function tpeSuggest(
  split: SplitTrials, names: readonly string[], space: readonly Distribution[], o: ResolvedTPEOptions, rng: Rng, seen?: ReadonlySet<string>,
): number[] {
  const { below, above, belowLosses } = groupObservations(split, names, space);
  const given = o.goodWeighting === 'improvement' ? improvementWeights(split, belowLosses) : undefined;
  const lower = buildParzenEstimator(space, below, o, given);
  const upper = buildParzenEstimator(space, above, o);
  const candidates = sampleParzenEstimator(lower, rng, o.nEiCandidates);
  const logL = new Float64Array(o.nEiCandidates);
  const logG = new Float64Array(o.nEiCandidates);
  parzenLogPdf(lower, candidates, logL);
  parzenLogPdf(upper, candidates, logG);
  const best = seen === undefined || seen.size === 0 ? argmaxRatio(logL, logG) : argmaxRatioUnseen(logL, logG, candidates, seen);
  return candidates.map((c) => c[best]);
}

/** A configuration's key: its internal values in `names` order (ints and steps sit on their grids, so they compare exactly). */
const configKey = (values: ArrayLike<number>): string => Array.from(values).join(',');

/**
 * argmaxRatio over the candidates whose configuration is not in `seen` (configKey); the first unseen one when
 * none scores above −∞, the overall best when every candidate is a repeat.
 */
export function argmaxRatioUnseen(logL: Float64Array, logG: Float64Array, candidates: readonly Float64Array[], seen: ReadonlySet<string>): number {
  let best = -1;
  let firstUnseen = -1;
  let bestScore = -Infinity;
  const row = new Float64Array(candidates.length);
  for (let j = 0; j < logL.length; j++) {
    for (let d = 0; d < candidates.length; d++) row[d] = candidates[d][j];
    if (seen.has(configKey(row))) continue;
    if (firstUnseen < 0) firstUnseen = j;
    const s = logL[j] - logG[j];
    if (s > bestScore) {
      bestScore = s;
      best = j;
    }
  }
  return best >= 0 ? best : firstUnseen >= 0 ? firstUnseen : argmaxRatio(logL, logG);
}

/**
 * The configurations a joint draw over `names` must not repeat: those of finished trials that have exactly these
 * parameters (a trial with more parameters differs from any draw over `names` in the ones drawn later).
 */
function seenConfigurations(trials: readonly FrozenTrial[], names: readonly string[], space: readonly Distribution[]): Set<string> {
  const seen = new Set<string>();
  for (const t of trials) {
    if ((t.state !== 'COMPLETE' && t.state !== 'RUNNING') || Object.keys(t.params).length !== names.length || !names.every((n) => n in t.params)) continue;
    seen.add(configKey(names.map((n, i) => toInternal(space[i], t.params[n]))));
  }
  return seen;
}

/** The sampler of the start-up trials: Halton or a Latin hypercube over the declared space, or null for uniform draws. */
function startupSampler(o: ResolvedTPEOptions, space: SearchSpace | undefined, seed: number): QMCSampler | null {
  if (o.startup === 'random' || space === undefined) return null;
  if (o.startup === 'qmc') return new QMCSampler({ space, seed });
  return new QMCSampler({ space, seed, sequence: 'maximin-lhs', designSize: Math.max(1, o.nStartupTrials) });
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), built like Optuna 3.1's TPESampler: random for the
 * first `nStartupTrials`, then jointly over the parameters every trial has (per parameter for the rest, or for
 * all with `multivariate: false`) the best of `nEiCandidates` draws from the good trials' density by the ratio
 * to the bad trials' density. The defaults (`DEFAULT_TPE_OPTIONS`) add Watanabe 2023's multivariate kernels,
 * improvement weighting and a 15% good group; `OPTUNA31_TPE_OPTIONS` gives Optuna 3.1's algorithm exactly.
 * Seeded per trial: the same seed and history give the same suggestion in any process.
 * @example
 * const sampler = new TPESampler({ seed: 42 });
 * const optunaLike = new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed: 42 });
 * const study = createStudy({ sampler, direction: 'minimize' });
 */
export class TPESampler implements Sampler {
  readonly #seed: number;
  readonly #o: ResolvedTPEOptions;
  /** The split depends only on the trial list, not the parameter: reuse it across one trial's suggest calls. */
  #cache: { trials: readonly FrozenTrial[]; exclude: number; split: SplitTrials } | null = null;
  readonly #jointSpace = new IntersectionSearchSpaceCache();
  /** Every trial's rank key, loss and parameters as columns, kept as trials finish (observations.ts). */
  readonly #observations = new ObservationColumns();
  /** `tiedValues: 'near'` flags of finished trials, kept across suggestions (tied-values.ts). */
  readonly #repeatMemo = new RepeatMemo();
  /** Draws the start-up trials when `startup` is 'qmc' or 'lhs'; null for uniform draws. */
  readonly #startup: QMCSampler | null;

  constructor(options: TPESamplerOptions = {}) {
    this.#seed = resolveSeed('TPESampler', options.seed);
    this.#o = resolveTPEOptions(options);
    this.#startup = startupSampler(this.#o, options.space, this.#seed);
  }

  inferRelativeSearchSpace(ctx: SamplerContext): SearchSpace {
    return this.#o.multivariate ? this.#jointSpace.get(ctx.trials) : {};
  }

  sampleRelative(ctx: SamplerContext, trial: FrozenTrial, space: SearchSpace): Record<string, ParamValue> {
    const names = Object.keys(space).sort();
    if (names.length === 0) return {};
    const split = this.#split(ctx, trial);
    if (split.nFinished < this.#o.nStartupTrials) return {};
    const dists = names.map((n) => space[n]);
    const seen = this.#o.avoidRepeats ? seenConfigurations(ctx.trials.filter((t) => t.number !== trial.number), names, dists) : undefined;
    const values = tpeSuggest(split, names, dists, this.#o, new Rng(this.#seed, trial.number, RELATIVE_TAG), seen);
    const out: Record<string, ParamValue> = {};
    names.forEach((n, i) => (out[n] = toExternal(dists[i], values[i])));
    return out;
  }

  sampleIndependent(ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const rng = new Rng(this.#seed, trial.number, hashString(name));
    if (isSingle(distribution)) return sampleUniform(distribution, rng);
    const split = this.#split(ctx, trial);
    if (split.nFinished < this.#o.nStartupTrials) {
      return this.#startup === null ? sampleUniform(distribution, rng) : this.#startup.sampleIndependent(ctx, trial, name, distribution);
    }
    const [value] = tpeSuggest(split, [name], [distribution], this.#o, rng);
    return toExternal(distribution, value);
  }

  #split(ctx: SamplerContext, trial: FrozenTrial): SplitTrials {
    const c = this.#cache;
    if (c !== null && c.trials === ctx.trials && c.exclude === trial.number) return c.split;
    const observed = this.#observations.observe(ctx.trials, { direction: ctx.direction, constantLiar: this.#o.constantLiar, exclude: trial.number });
    const trialOf = this.#o.tiedValues === 'near' ? observedTrials(ctx.trials, observed.numbers) : undefined;
    const near = trialOf === undefined ? undefined : nearObservations(trialOf, this.#o.tiedDistance);
    const memo = trialOf === undefined ? undefined : this.#repeatMemo.forSplit(ctx.trials, observed.numbers, trialOf);
    const split = splitObservations(observed, (n) => nBelow(this.#o.gamma, n), this.#o.tiedValues, near, memo);
    this.#cache = { trials: ctx.trials, exclude: trial.number, split };
    return split;
  }
}
