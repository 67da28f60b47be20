import { ConfigError } from '../../errors.js';
import type { SearchSpace } from '../../space/distributions.js';

export type Bandwidth = 'optuna' | 'joint-scott' | 'neighbour';

/**
 * How the start-up trials are drawn: independent uniform draws, a scrambled Halton sequence over the declared space,
 * or a maximin Latin hypercube of `nStartupTrials` points over it.
 */
export type Startup = 'random' | 'qmc' | 'lhs';

/**
 * What a COMPLETE trial whose value equals exactly that of an earlier COMPLETE trial (a repeat) counts for in the
 * split: 'keep' — ranked like any other (Optuna's); 'above' — never good: the good group is the best `gamma(n)` of
 * the other trials and the repeats join the bad group; 'near' — 'above' only for a tie at the earlier trial's point
 * (up to `tiedDistance`); 'drop' — in neither group, and not counted in n.
 */
export type TiedValues = 'keep' | 'above' | 'near' | 'drop';

/**
 * Options of the TPE sampler. Defaults are `DEFAULT_TPE_OPTIONS`: Optuna 3.1's except for three components of
 * Watanabe 2023 chosen on held-out benchmark seeds (docs/benchmarks/samplers.md); `OPTUNA31_TPE_OPTIONS` is
 * Optuna 3.1's TPESampler exactly.
 */
export interface TPESamplerOptions {
  readonly seed?: number;
  /** Trials sampled at random before TPE starts modelling (COMPLETE and PRUNED trials count). */
  readonly nStartupTrials?: number;
  /**
   * 'random' (Optuna's way): start-up trials are uniform draws. 'qmc': they are the points of a scrambled Halton
   * sequence over `space` (QMCSampler), which covers the space more evenly at small budgets. 'lhs': a maximin
   * Latin hypercube of `nStartupTrials` points over `space`, every parameter stratified into that many bins.
   */
  readonly startup?: Startup;
  /** The declared search space; needed by `startup: 'qmc'` (each parameter is one dimension of the sequence). */
  readonly space?: SearchSpace;
  /** Candidates drawn from the "good" density l(x); the one maximising l(x)/g(x) is suggested. */
  readonly nEiCandidates?: number;
  /** How many of n finished trials form the "good" group. */
  readonly gamma?: (n: number) => number;
  /** Kernel weights for n observations, oldest first. */
  readonly weights?: (n: number) => ArrayLike<number>;
  readonly priorWeight?: number;
  readonly considerPrior?: boolean;
  readonly considerMagicClip?: boolean;
  readonly considerEndpoints?: boolean;
  /** Model the intersection search space jointly (Falkner et al. 2018's multivariate KDE) instead of per param. */
  readonly multivariate?: boolean;

  /** Count RUNNING trials as the worst result so parallel workers do not all suggest the same point. */
  readonly constantLiar?: boolean;
  /**
   * Numeric kernel widths. 'optuna': Optuna 3.1's choice, the neighbour rule without `multivariate` and one
   * Scott-style width 0.2·n^(-1/(d+4))·range for every density with it, a lone parameter's included.
   * 'joint-scott': the Scott-style width for densities over two or more parameters, the neighbour rule for a
   * single one (a one-parameter study, or a parameter outside the shared space) — it suits one dimension better
   * (docs/benchmarks/samplers.md). 'neighbour': the neighbour rule (hyperopt; Watanabe 2023, bandwidth selection, Table 6) everywhere,
   * so each kernel of a joint density is as wide as the gaps around its own centre.
   */
  readonly bandwidth?: Bandwidth;
  /**
   * Magic clip: no kernel narrower than range·max(minBandwidthFactor, (1 + nKernels)^-magicClipExponent).
   * Optuna 3.1 is (0.01, 1); Watanabe 2023 (Table 6) studies Δ and α.
   */
  readonly minBandwidthFactor?: number;
  readonly magicClipExponent?: number;
  /**
   * Weights of the good group's kernels. 'age': `weights(n)` as for the bad group (Optuna 3.1).
   * 'improvement': each good trial weighted by how far it beats the best bad trial, the "EI" weighting of
   * Watanabe 2023 (Table 3), with the prior weighted by their mean.
   */
  readonly goodWeighting?: 'age' | 'improvement';
  /**
   * Never suggest (jointly) a configuration already evaluated: of the EI candidates the best one that repeats no
   * finished trial's parameters is kept — only possible over int, stepped and categorical parameters, where a
   * deterministic objective tells nothing new. All candidates repeats, the best is kept. Default false
   * (docs/benchmarks/samplers.md, "Session 27").
   */
  readonly avoidRepeats?: boolean;
  /**
   * A COMPLETE trial whose value equals exactly an earlier one's (a cell of a hidden grid evaluated again):
   * 'keep' ranks it as any other (Optuna's); 'above' never puts it in the good group — a plateau of equal values is
   * one good observation and its repeats raise g(x) where they lie; 'drop' leaves it out of both groups and of the
   * count. Default 'keep' (docs/benchmarks/samplers.md, "Session 29"). 'near' is 'above' for a tie only at the
   * earlier trial's point up to `tiedDistance` (the same cell again, not another point on a plateau; "Session 29c").
   */
  readonly tiedValues?: TiedValues;
  /**
   * Under `tiedValues: 'near'`: the largest distance, per parameter in the unit cube (log space for log-scaled
   * ranges; a categorical must match), at which a tied trial is at the same point as the earlier one. Default 0.01.
   */
  readonly tiedDistance?: number;
}

export interface ResolvedTPEOptions {
  readonly nStartupTrials: number;
  readonly startup: Startup;
  readonly nEiCandidates: number;
  readonly gamma: (n: number) => number;
  readonly weights: (n: number) => ArrayLike<number>;
  readonly priorWeight: number;
  readonly considerPrior: boolean;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
  readonly constantLiar: boolean;
  readonly bandwidth: Bandwidth;
  readonly minBandwidthFactor: number;
  readonly avoidRepeats: boolean;
  readonly tiedValues: TiedValues;
  readonly tiedDistance: number;
  readonly magicClipExponent: number;
  readonly goodWeighting: 'age' | 'improvement';
}

/** Optuna 3.1's `default_gamma`: the best 10%, at most 25 trials. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * The linear splitting algorithm of Watanabe 2023 (Table 3): the best ⌈β·n⌉ trials, at most 25, form the good group.
 * @example
 * new TPESampler({ gamma: linearGamma(0.1) }); // Optuna 3.1's split
 */
export function linearGamma(beta: number): (n: number) => number {
  if (!Number.isFinite(beta) || beta <= 0 || beta > 1) throw new ConfigError(`linearGamma: beta must be in (0, 1], got ${String(beta)}`);
  return (n) => Math.min(Math.ceil(beta * n), 25);
}

/** The good group's share in parzen's default: 15% (β of the linear split, Watanabe 2023, Table 3). */
const gamma15 = linearGamma(0.15);

/**
 * Optuna's `default_weights`: flat for the newest 25 observations, a linear ramp from 1/n up to 1 for the
 * older ones (Bergstra et al. 2013, "Making a science of model search", §4).
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const nRamp = n - 25;
  // numpy.linspace(1/n, 1, num=nRamp)
  for (let i = 0; i < nRamp; i++) w[i] = nRamp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (nRamp - 1);
  return w;
}

function nonNegativeInt(name: string, v: number | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new ConfigError(`TPESampler.${name}: expected an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`TPESampler.${name}: expected a positive finite number, got ${String(v)}`);
  return v;
}

function nonNegativeFinite(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`TPESampler.${name}: expected a finite number ≥ 0, got ${String(v)}`);
  return v;
}

function oneOf<T extends string>(name: string, v: T | undefined, choices: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!choices.includes(v)) throw new ConfigError(`TPESampler.${name}: expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${String(v)}`);
  return v;
}

function flag(name: string, v: boolean | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`TPESampler.${name}: expected true or false, got ${String(v)}`);
  return v;
}

/**
 * Optuna 3.1's TPESampler, option for option: pass it (with a seed) for Optuna's exact algorithm.
 * @example
 * const sampler = new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed: 7 });
 */
export const OPTUNA31_TPE_OPTIONS: Readonly<Required<Omit<TPESamplerOptions, 'seed' | 'space'>>> = Object.freeze({
  nStartupTrials: 10,
  startup: 'random',
  nEiCandidates: 24,
  gamma: defaultGamma,
  weights: defaultWeights,
  priorWeight: 1,
  considerPrior: true,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  constantLiar: false,
  bandwidth: 'optuna',
  minBandwidthFactor: 0.01,
  magicClipExponent: 1,
  goodWeighting: 'age',
  avoidRepeats: false,
  tiedValues: 'keep',
  tiedDistance: 0.01,
});

/**
 * parzen's defaults: Optuna 3.1's with three components of Watanabe 2023 (arXiv 2304.11127) — joint
 * (multivariate) kernels over the parameters every trial has, the good group's kernels weighted by their
 * improvement over the best bad trial ("EI" weighting), and the best 15% rather than 10% as the good group.
 * Chosen among 27 variants on held-out seeds 100–139, confirmed on 140–179, then compared with Optuna 3.1 on
 * seeds 0–19: docs/benchmarks/samplers.md. Then, for small budgets, 8 start-up trials rather than 10, drawn from a
 * scrambled Halton sequence when the sampler is given the declared `space` (uniform draws otherwise), chosen on
 * seeds 100–139 at 12/25/50/100 trials (scripts/bench/sampler-startup.ts; docs/benchmarks/samplers.md, "Small budgets").
 */
export const DEFAULT_TPE_OPTIONS: Readonly<Required<Omit<TPESamplerOptions, 'seed' | 'space'>>> = Object.freeze({
  ...OPTUNA31_TPE_OPTIONS,
  nStartupTrials: 8,
  startup: 'qmc',
  multivariate: true,
  bandwidth: 'joint-scott',
  goodWeighting: 'improvement',
  gamma: gamma15,
});

/** Fills in `DEFAULT_TPE_OPTIONS` for what `given` leaves out and rejects bad options with a ConfigError naming the option. */
export function resolveTPEOptions(given: TPESamplerOptions): ResolvedTPEOptions {
  const d = DEFAULT_TPE_OPTIONS;
  const o = given;
  if (o.priorWeight !== undefined && (!Number.isFinite(o.priorWeight) || o.priorWeight <= 0)) {
    throw new ConfigError(`TPESampler.priorWeight: expected a positive number, got ${String(o.priorWeight)}`);
  }
  // The default start-up is quasi-random where the declared space is known, uniform where it is not; asking for
  // 'qmc' explicitly without a space is an error.
  const hasSpace = typeof o.space === 'object' && o.space !== null;
  const startup = o.startup === undefined && !hasSpace ? 'random' : oneOf<Startup>('startup', o.startup, ['random', 'qmc', 'lhs'], d.startup);
  if (startup !== 'random' && !hasSpace) {
    throw new ConfigError(`TPESampler.space: startup '${startup}' needs the declared search space, e.g. { startup: '${startup}', space: { x: float(0, 1) } }`);
  }
  for (const fn of ['gamma', 'weights'] as const) {
    if (o[fn] !== undefined && typeof o[fn] !== 'function') throw new ConfigError(`TPESampler.${fn}: expected a function of the number of trials`);
  }
  return {
    nStartupTrials: nonNegativeInt('nStartupTrials', o.nStartupTrials, d.nStartupTrials, 0),
    startup,
    nEiCandidates: nonNegativeInt('nEiCandidates', o.nEiCandidates, d.nEiCandidates, 1),
    gamma: o.gamma ?? d.gamma,
    weights: o.weights ?? d.weights,
    priorWeight: o.priorWeight ?? d.priorWeight,
    considerPrior: flag('considerPrior', o.considerPrior, d.considerPrior),
    considerMagicClip: flag('considerMagicClip', o.considerMagicClip, d.considerMagicClip),
    considerEndpoints: flag('considerEndpoints', o.considerEndpoints, d.considerEndpoints),
    multivariate: flag('multivariate', o.multivariate, d.multivariate),
    constantLiar: flag('constantLiar', o.constantLiar, d.constantLiar),
    bandwidth: oneOf<Bandwidth>('bandwidth', o.bandwidth, ['optuna', 'joint-scott', 'neighbour'], d.bandwidth),
    minBandwidthFactor: positive('minBandwidthFactor', o.minBandwidthFactor, d.minBandwidthFactor),
    magicClipExponent: positive('magicClipExponent', o.magicClipExponent, d.magicClipExponent),
    goodWeighting: oneOf('goodWeighting', o.goodWeighting, ['age', 'improvement'], d.goodWeighting),
    avoidRepeats: flag('avoidRepeats', o.avoidRepeats, d.avoidRepeats),
    tiedValues: oneOf<TiedValues>('tiedValues', o.tiedValues, ['keep', 'above', 'near', 'drop'], d.tiedValues),
    tiedDistance: nonNegativeFinite('tiedDistance', o.tiedDistance, d.tiedDistance),
  };
}

/** gamma(n), checked: an integer in [0, n]. */
export function nBelow(gamma: (n: number) => number, n: number): number {
  const k = gamma(n);
  if (!Number.isInteger(k) || k < 0) throw new ConfigError(`TPESampler.gamma: gamma(${n}) returned ${String(k)}; it must return a non-negative integer`);
  return Math.min(k, n);
}

/** weights(n), checked as Optuna does: n finite, non-negative values, not all zero. */
export function kernelWeights(weights: (n: number) => ArrayLike<number>, n: number): ArrayLike<number> {
  const w = weights(n);
  if (w.length < n) throw new ConfigError(`TPESampler.weights: weights(${n}) returned ${w.length} values; it must return ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(w[i]) || w[i] < 0) throw new ConfigError(`TPESampler.weights: weights(${n}) has ${w[i]} at ${i}; values must be finite and ≥ 0`);
    sum += w[i];
  }
  if (n > 0 && sum <= 0) throw new ConfigError(`TPESampler.weights: weights(${n}) is all zero; at least one weight must be positive`);
  return w;
}
