/**
 * Building the Parzen estimator of TPE (Bergstra et al. 2011, "Algorithms for Hyper-Parameter Optimization",
 * §4; Optuna 3.1 `samplers/_tpe/parzen_estimator.py`): one kernel per observation plus an optional prior
 * kernel, a truncated normal per numeric dimension and a smoothed one-hot per categorical dimension. In
 * multivariate mode the kernels are products over dimensions (Falkner et al. 2018, BOHB §3.1).
 * Everything lives in flat typed arrays indexed by kernel so sampling and density evaluation are tight loops.
 */
import type { CategoricalDistribution, Distribution } from '../../space/distributions.js';
import { type NumericDistribution, stepOf, toTransformed, transformedBounds } from '../numeric-space.js';
import { type Bandwidth, kernelWeights } from './options.js';
import { LOG_SQRT_2PI, logGaussMass, ndtr } from './truncnorm.js';

/** Multivariate bandwidth scale: Scott's rule with Optuna's constant 0.2 (BOHB). */
const SIGMA0_MAGNITUDE = 0.2;
const EPS = 1e-12;

export interface ParzenParameters {
  readonly priorWeight: number;
  readonly considerPrior: boolean;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
  readonly weights: (n: number) => ArrayLike<number>;
  /** See `TPESamplerOptions`; absent means Optuna 3.1's choice. */
  readonly bandwidth?: Bandwidth;
  readonly minBandwidthFactor?: number;
  readonly magicClipExponent?: number;
}

/** Kernel weights fixed by the caller instead of `weights(n)` (the good group under improvement weighting). */
export interface GivenWeights {
  readonly observations: ArrayLike<number>;
  readonly prior: number;
}

/** Truncated-normal kernels of one numeric dimension, in transformed (log for log ranges) space. */
export interface NumericKernels {
  readonly kind: 'numeric';
  readonly distribution: NumericDistribution;
  /** Sampling interval, widened by half a step for stepped and integer ranges. */
  readonly low: number;
  readonly high: number;
  /** Step of the grid the values round to, null when continuous. */
  readonly q: number | null;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly invSigmas: Float64Array;
  /** log of each kernel's normal mass inside [low, high]. */
  readonly logMass: Float64Array;
  /** log √(2π) + logMass: the continuous density's normaliser per kernel (see `numericKernels` on log σ). */
  readonly logNorm: Float64Array;
  /**
   * Stepped and integer dimensions: kernels deduplicated by (μ, σ). Their centres sit on a few grid values and
   * their bandwidths repeat, so the cell masses are computed once per distinct kernel, not once per kernel.
   */
  readonly distinct: DistinctKernels | null;
}

export interface DistinctKernels {
  /** kernel index → distinct-kernel index */
  readonly of: Uint32Array;
  readonly mus: Float64Array;
  readonly invSigmas: Float64Array;
  readonly logMass: Float64Array;
}

/** Categorical kernels: row k of the K×C matrix is kernel k's distribution over the choices. */
export interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly nChoices: number;
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;
}

export type DimensionKernels = NumericKernels | CategoricalKernels;

export interface ParzenEstimator {
  readonly nKernels: number;
  /** Mixture weights, summing to one. */
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  /** Running sums of `weights`, for drawing a kernel with one uniform number. */
  readonly cumWeights: Float64Array;
  readonly dims: readonly DimensionKernels[];
}

function mixtureWeights(n: number, prior: boolean, p: ParzenParameters, given: GivenWeights | undefined): Float64Array {
  const w = new Float64Array(prior ? n + 1 : n);
  const raw = given?.observations ?? kernelWeights(p.weights, n);
  for (let i = 0; i < n; i++) w[i] = raw[i];
  if (prior) w[n] = n === 0 ? 1 : given?.prior ?? p.priorWeight;
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i];
  for (let i = 0; i < w.length; i++) w[i] /= sum;
  return w;
}

/**
 * Univariate bandwidths (Optuna 3.1): each kernel's σ is the larger gap to its neighbours in sorted order,
 * with [low, high] as outer neighbours; unless `considerEndpoints`, the outermost kernels use their inner gap.
 * Ties keep numpy's stable order: equal centres fill consecutive sorted slots in observation order.
 */
function neighbourBandwidths(mus: Float64Array, low: number, high: number, considerEndpoints: boolean): Float64Array {
  const k = mus.length;
  const sorted = Float64Array.from(mus).sort();
  const sortedSigma = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const left = i === 0 ? low : sorted[i - 1];
    const right = i === k - 1 ? high : sorted[i + 1];
    sortedSigma[i] = Math.max(sorted[i] - left, right - sorted[i]);
  }
  if (!considerEndpoints && k >= 2) {
    sortedSigma[0] = sorted[1] - sorted[0];
    sortedSigma[k - 1] = sorted[k - 1] - sorted[k - 2];
  }
  // Equal centres take consecutive sorted slots in observation order: slot = first index of the value + how
  // many equal ones came before.
  const sigmas = new Float64Array(k);
  const taken = new Uint32Array(k);
  for (let i = 0; i < k; i++) {
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < mus[i]) lo = mid + 1;
      else hi = mid;
    }
    sigmas[i] = sortedSigma[lo + taken[lo]++];
  }
  return sigmas;
}

interface KernelShape {
  readonly n: number;
  readonly prior: boolean;
  readonly nDims: number;
}

function numericKernels(d: NumericDistribution, obs: Float64Array, shape: KernelShape, p: ParzenParameters): NumericKernels {
  const { low, high } = transformedBounds(d);
  const { n, prior } = shape;
  const k = prior ? n + 1 : n;
  const mus = new Float64Array(k);
  for (let i = 0; i < n; i++) mus[i] = toTransformed(d, obs[i]);
  if (prior) mus[n] = 0.5 * (low + high);
  let sigmas: Float64Array;
  const bandwidth = p.bandwidth ?? 'optuna';
  if (p.multivariate && (bandwidth === 'optuna' || (bandwidth === 'joint-scott' && shape.nDims >= 2))) {
    // Scott's rule: σ ∝ n^(-1/(d+4)) (Scott 1992, "Multivariate Density Estimation", eq. 6.42).
    const sigma0 = SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (shape.nDims + 4));
    sigmas = new Float64Array(k).fill(sigma0 * (high - low));
  } else {
    sigmas = neighbourBandwidths(mus, low, high, p.considerEndpoints);
  }
  // "Magic clip" (Bergstra's hyperopt): no kernel narrower than range·max(Δ, (K+1)^-α); Optuna 3.1's
  // range/min(100, K+1) is Δ = 0.01, α = 1 (Watanabe 2023, Table 6).
  const maxSigma = high - low;
  const factor = Math.max(p.minBandwidthFactor ?? 0.01, (1 + k) ** -(p.magicClipExponent ?? 1));
  const minSigma = p.considerMagicClip ? (high - low) * factor : EPS;
  for (let i = 0; i < k; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]));
  if (prior) sigmas[n] = high - low;
  const invSigmas = new Float64Array(k);
  const logMass = new Float64Array(k);
  const logNorm = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    invSigmas[i] = 1 / sigmas[i];
    logMass[i] = logMassInRange((low - mus[i]) * invSigmas[i], (high - mus[i]) * invSigmas[i]);
    // Optuna 3.1 leaves log σ out of the continuous kernel's log density (optuna#5109, changed in 3.5). That
    // is the same as normalised kernels with mixture weights ∝ w_k·σ_k, and the ratio l(x)/g(x) TPE maximises
    // differs. Kept, because it measurably finds better optima: docs/benchmarks/samplers.md.
    logNorm[i] = LOG_SQRT_2PI + logMass[i];
  }
  const q = stepOf(d);
  const distinct = q === null ? null : distinctKernels(mus, invSigmas, logMass);
  return { kind: 'numeric', distribution: d, low, high, q, mus, sigmas, invSigmas, logMass, logNorm, distinct };
}

/**
 * log Φ-mass of [a, b]. When both ends are more than 8.5σ out, the missing mass (< 2e-17) is below double
 * precision next to 1, so the answer is 0 without evaluating erf twice — most kernels sit well inside the range.
 */
function logMassInRange(a: number, b: number): number {
  const farLeft = a < -8.5;
  const farRight = b > 8.5;
  if (farLeft && farRight) return 0;
  // One end far out: its tail is below double precision next to the other's, so only the near tail is evaluated
  // (log(1 - Φ(a) - Φ(-b)) with the far term dropped), one erf instead of two.
  if (farRight && a < 0) return Math.log1p(-ndtr(a));
  if (farLeft && b > 0) return Math.log1p(-ndtr(-b));
  return logGaussMass(a, b);
}

function distinctKernels(mus: Float64Array, invSigmas: Float64Array, logMass: Float64Array): DistinctKernels {
  const ids = new Map<number, Map<number, number>>();
  const of = new Uint32Array(mus.length);
  const first: number[] = [];
  for (let i = 0; i < mus.length; i++) {
    let bySigma = ids.get(mus[i]);
    if (bySigma === undefined) ids.set(mus[i], (bySigma = new Map()));
    let id = bySigma.get(invSigmas[i]);
    if (id === undefined) {
      id = first.length;
      bySigma.set(invSigmas[i], id);
      first.push(i);
    }
    of[i] = id;
  }
  const pick = (xs: Float64Array) => Float64Array.from(first, (i) => xs[i]);
  return { of, mus: pick(mus), invSigmas: pick(invSigmas), logMass: pick(logMass) };
}

/** Each observation's one-hot plus priorWeight/(n+1) on every choice, normalised (Optuna 3.1). */
function categoricalKernels(d: CategoricalDistribution, obs: Float64Array, shape: KernelShape, p: ParzenParameters): CategoricalKernels {
  const { n, prior } = shape;
  const c = d.choices.length;
  const k = prior ? n + 1 : n;
  const base = p.priorWeight / (prior ? n + 1 : n);
  const probs = new Float64Array(k * c).fill(base);
  for (let i = 0; i < n; i++) probs[i * c + obs[i]] += 1;
  const logProbs = new Float64Array(k * c);
  // Every row holds at most two distinct values, base/sum and (base + 1)/sum: two logs per row, not c.
  const rowSum = c * base;
  const logBase = Math.log(base / rowSum);
  const logBaseObserved = Math.log(base / (rowSum + 1));
  const logHit = Math.log((base + 1) / (rowSum + 1));
  for (let i = 0; i < k; i++) {
    const observed = i < n;
    const sum = observed ? rowSum + 1 : rowSum;
    for (let j = 0; j < c; j++) {
      const at = i * c + j;
      const hit = observed && obs[i] === j;
      probs[at] /= sum;
      logProbs[at] = hit ? logHit : observed ? logBaseObserved : logBase;
    }
  }
  return { kind: 'categorical', nChoices: c, probs, logProbs };
}

/**
 * A Parzen estimator over `space` from `observations` (one array per dimension, internal values: numbers, or
 * choice indices for categoricals; all the same length).
 */
export function buildParzenEstimator(
  space: readonly Distribution[],
  observations: readonly Float64Array[],
  p: ParzenParameters,
  given?: GivenWeights,
): ParzenEstimator {
  const n = observations.length > 0 ? observations[0].length : 0;
  // With no observations the prior is the only kernel, whatever considerPrior says.
  const prior = p.considerPrior || n === 0;
  const weights = mixtureWeights(n, prior, p, given);
  const logWeights = new Float64Array(weights.length);
  const cumWeights = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    logWeights[i] = Math.log(weights[i]);
    cumWeights[i] = acc += weights[i];
  }
  const shape = { n, prior, nDims: space.length };
  const dims = space.map((d, i) =>
    d.kind === 'categorical' ? categoricalKernels(d, observations[i], shape, p) : numericKernels(d, observations[i], shape, p),
  );
  return { nKernels: weights.length, weights, logWeights, cumWeights, dims };
}
