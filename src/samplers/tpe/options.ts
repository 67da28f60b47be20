import { ConfigError } from '../../errors.js';

/** Options of the TPE sampler; every default is Optuna 3.1's. */
export interface TPESamplerOptions {
  readonly seed?: number;
  /** Trials sampled at random before TPE starts modelling (COMPLETE and PRUNED trials count). */
  readonly nStartupTrials?: number;
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
   * Numeric kernel widths. 'optuna': Optuna 3.1's choice, the neighbour rule per parameter and one Scott-style
   * width 0.2·n^(-1/(d+4))·range in multivariate mode. 'neighbour': the neighbour rule (hyperopt; Watanabe 2023
   * §3.4) in both modes, so each kernel of a joint density is as wide as the gaps around its own centre.
   */
  readonly bandwidth?: 'optuna' | 'neighbour';
  /**
   * Magic clip: no kernel narrower than range·max(minBandwidthFactor, (1 + nKernels)^-magicClipExponent).
   * Optuna 3.1 is (0.01, 1); Watanabe 2023 §3.4 (Table 6) studies Δ and α.
   */
  readonly minBandwidthFactor?: number;
  readonly magicClipExponent?: number;
  /**
   * Weights of the good group's kernels. 'age': `weights(n)` as for the bad group (Optuna 3.1).
   * 'improvement': each good trial weighted by how far it beats the best bad trial, the EI weighting of
   * Watanabe 2023 §3.3 (Song et al. 2022), with the prior weighted by their mean.
   */
  readonly goodWeighting?: 'age' | 'improvement';
}

export interface ResolvedTPEOptions {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly gamma: (n: number) => number;
  readonly weights: (n: number) => ArrayLike<number>;
  readonly priorWeight: number;
  readonly considerPrior: boolean;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
  readonly constantLiar: boolean;
  readonly bandwidth: 'optuna' | 'neighbour';
  readonly minBandwidthFactor: number;
  readonly magicClipExponent: number;
  readonly goodWeighting: 'age' | 'improvement';
}

/** Optuna's `default_gamma`: the best 10%, at most 25 trials. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

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
export const OPTUNA31_TPE_OPTIONS: Readonly<Required<Omit<TPESamplerOptions, 'seed'>>> = Object.freeze({
  nStartupTrials: 10,
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
});

/** parzen's defaults: where they differ from Optuna 3.1's, docs/benchmarks/samplers.md says why. */
export const DEFAULT_TPE_OPTIONS: Readonly<Required<Omit<TPESamplerOptions, 'seed'>>> = OPTUNA31_TPE_OPTIONS;

/** Fills in defaults and rejects bad options with a ConfigError naming the option. */
export function resolveTPEOptions(given: TPESamplerOptions): ResolvedTPEOptions {
  const o: TPESamplerOptions = { ...DEFAULT_TPE_OPTIONS };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) Object.assign(o, { [key]: value });
  const priorWeight = o.priorWeight ?? 1;
  if (!Number.isFinite(priorWeight) || priorWeight <= 0) {
    throw new ConfigError(`TPESampler.priorWeight: expected a positive number, got ${String(o.priorWeight)}`);
  }
  for (const fn of ['gamma', 'weights'] as const) {
    if (o[fn] !== undefined && typeof o[fn] !== 'function') throw new ConfigError(`TPESampler.${fn}: expected a function of the number of trials`);
  }
  return {
    nStartupTrials: nonNegativeInt('nStartupTrials', o.nStartupTrials, 10, 0),
    nEiCandidates: nonNegativeInt('nEiCandidates', o.nEiCandidates, 24, 1),
    gamma: o.gamma ?? defaultGamma,
    weights: o.weights ?? defaultWeights,
    priorWeight,
    considerPrior: flag('considerPrior', o.considerPrior, true),
    considerMagicClip: flag('considerMagicClip', o.considerMagicClip, true),
    considerEndpoints: flag('considerEndpoints', o.considerEndpoints, false),
    multivariate: flag('multivariate', o.multivariate, false),
    constantLiar: flag('constantLiar', o.constantLiar, false),
    bandwidth: oneOf('bandwidth', o.bandwidth, ['optuna', 'neighbour'], 'optuna'),
    minBandwidthFactor: positive('minBandwidthFactor', o.minBandwidthFactor, 0.01),
    magicClipExponent: positive('magicClipExponent', o.magicClipExponent, 1),
    goodWeighting: oneOf('goodWeighting', o.goodWeighting, ['age', 'improvement'], 'age'),
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
