/**
 * Fitting the GP's kernel hyperparameters by maximising the log marginal likelihood plus a log prior
 * (Rasmussen & Williams 2006, eq. 5.8 – 5.9; the priors are Optuna 4's GPSampler defaults: a Gamma-like penalty
 * −(0.1/x + 0.1·x) on each inverse squared lengthscale, Gamma(2, 1) on the signal variance, Gamma(1.1, 30) on the
 * noise), with L-BFGS over log-parameters from a fixed start, so the fit is a pure function of the data.
 */
import { choleskyInPlace, lowerInverseFromCholesky, solveLower, solveLowerTransposed } from './linalg.js';
import { type KernelParams, covariance, dimensionDistance } from './kernel.js';
import { lbfgsMaximise } from './lbfgs.js';

/** The noise floor: objectives are usually deterministic, and a zero nugget makes K singular. */
export const MIN_NOISE = 1e-6;

export interface GPData {
  /** n rows × d columns in the unit cube (categoricals: choice index). */
  readonly x: Float64Array;
  /** Standardised targets, n of them. */
  readonly y: Float64Array;
  readonly n: number;
  readonly isCat: Uint8Array;
}

/** A fitted GP: the hyperparameters, K's Cholesky factor and α = K⁻¹y. */
export interface FittedGP {
  readonly data: GPData;
  readonly params: KernelParams;
  readonly chol: Float64Array;
  readonly alpha: Float64Array;
}

function paramsOf(theta: Float64Array, d: number): KernelParams {
  const invLs2 = new Float64Array(d);
  for (let j = 0; j < d; j++) invLs2[j] = Math.exp(theta[j]);
  return { inverseSquaredLengthscales: invLs2, scale: Math.exp(theta[d]), noise: MIN_NOISE + Math.exp(theta[d + 1]) };
}

/** K's Cholesky factor, with growing jitter on the diagonal if rounding made K indefinite; null if hopeless. */
export function choleskyWithJitter(k: Float64Array, n: number): Float64Array | null {
  for (let jitter = 0; jitter <= 1e-2; jitter = jitter === 0 ? 1e-9 : jitter * 100) {
    const l = Float64Array.from(k);
    for (let i = 0; i < n; i++) l[i * n + i] += jitter;
    if (choleskyInPlace(l, n)) return l;
  }
  return null;
}

/**
 * The per-dimension distances δ_j(x_a, x_b) of every pair b < a, computed once per fit: the marginal likelihood is
 * evaluated dozens of times on the same points, and only the lengthscales change between evaluations.
 */
const pairDistances = new WeakMap<GPData, Float64Array>();

function pairDistancesOf(data: GPData): Float64Array {
  const cached = pairDistances.get(data);
  if (cached !== undefined) return cached;
  const { x, n, isCat } = data;
  const d = isCat.length;
  const out = new Float64Array(((n * (n - 1)) / 2) * d);
  let o = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) for (let j = 0; j < d; j++) out[o++] = dimensionDistance(x[a * d + j], x[b * d + j], isCat[j] === 1);
  }
  pairDistances.set(data, out);
  return out;
}

const SQRT5 = Math.sqrt(5);

/**
 * K = σ_f²·k(r) + σ_n²·I and, for the gradient, k(r) and dk/d(r²) of every pair b < a (in pair order),
 * from the cached distances; the same arithmetic, in the same order, as `covariance`, `matern52` and `matern52DerivR2`.
 */
function kernelTerms(data: GPData, p: KernelParams): { k: Float64Array; kPair: Float64Array; dkPair: Float64Array } {
  const { n } = data;
  const dist = pairDistancesOf(data);
  const invLs2 = p.inverseSquaredLengthscales;
  const d = invLs2.length;
  const k = new Float64Array(n * n);
  const kPair = new Float64Array((n * (n - 1)) / 2);
  const dkPair = new Float64Array(kPair.length);
  let q = 0;
  for (let a = 0; a < n; a++) {
    k[a * n + a] = p.scale + p.noise;
    for (let b = 0; b < a; b++, q++) {
      let r2 = 0;
      for (let j = 0, o = q * d; j < d; j++) r2 += invLs2[j] * dist[o + j];
      const r = Math.sqrt(r2);
      const e = Math.exp(-SQRT5 * r);
      const v = p.scale * ((1 + SQRT5 * r + (5 / 3) * r2) * e);
      k[a * n + b] = v;
      k[b * n + a] = v;
      kPair[q] = (1 + SQRT5 * r + (5 / 3) * r2) * e;
      dkPair[q] = (-5 / 6) * (1 + SQRT5 * r) * e;
    }
  }
  return { k, kPair, dkPair };
}

/** Log marginal likelihood of θ (log 1/ℓ², log σ_f², log(σ_n² − floor)) and its gradient, no prior. */
function logMarginalLikelihood(data: GPData, p: KernelParams): { value: number; grad: Float64Array } {
  const { y, n, isCat } = data;
  const d = isCat.length;
  const terms = kernelTerms(data, p);
  const l = choleskyWithJitter(terms.k, n);
  const grad = new Float64Array(d + 2);
  if (l === null) return { value: -Infinity, grad };
  const alpha = solveLowerTransposed(l, n, solveLower(l, n, y));
  let value = -0.5 * n * Math.log(2 * Math.PI);
  for (let i = 0; i < n; i++) value -= 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
  const inv = lowerInverseFromCholesky(l, n);
  const dist = pairDistancesOf(data);
  const invLs2 = p.inverseSquaredLengthscales;
  // d lml / dθ = ½ tr((ααᵀ − K⁻¹) dK/dθ); K is symmetric, so off-diagonal pairs count twice.
  let q = 0;
  for (let a = 0; a < n; a++) {
    const waa = alpha[a] * alpha[a] - inv[a * n + a];
    grad[d] += 0.5 * waa * p.scale;
    grad[d + 1] += 0.5 * waa * (p.noise - MIN_NOISE);
    for (let b = 0; b < a; b++, q++) {
      const w = alpha[a] * alpha[b] - inv[a * n + b];
      grad[d] += w * p.scale * terms.kPair[q];
      const dk = w * p.scale * terms.dkPair[q];
      for (let j = 0, o = q * d; j < d; j++) grad[j] += dk * invLs2[j] * dist[o + j];
    }
  }
  return { value, grad };
}

/** Adds the signal and noise priors (Gamma(2, 1), Gamma(1.1, 30)) at θ's last two entries to `value` and `grad`. */
function addScaleAndNoisePriors(p: KernelParams, value: number, grad: Float64Array, at: number): number {
  let v = value + Math.log(p.scale) - p.scale;
  grad[at] += 1 - p.scale;
  v += 0.1 * Math.log(p.noise) - 30 * p.noise;
  grad[at + 1] += (0.1 / p.noise - 30) * (p.noise - MIN_NOISE);
  return v;
}

/** Log posterior of θ (log 1/ℓ² per dimension, log σ_f², log(σ_n² − floor)) and its gradient: the ARD kernel. */
export function logPosterior(data: GPData, theta: Float64Array): { value: number; grad: Float64Array } {
  const d = data.isCat.length;
  const p = paramsOf(theta, d);
  const { value: lml, grad } = logMarginalLikelihood(data, p);
  if (lml === -Infinity) return { value: lml, grad };
  let value = lml;
  for (let j = 0; j < d; j++) {
    const v = p.inverseSquaredLengthscales[j];
    value -= 0.1 / v + 0.1 * v;
    grad[j] += 0.1 / v - 0.1 * v;
  }
  return { value: addScaleAndNoisePriors(p, value, grad, d), grad };
}

/**
 * Log posterior of the isotropic kernel's θ = (log 1/ℓ², log σ_f², log(σ_n² − floor)): one length scale shared by
 * every dimension, so 3 hyperparameters instead of 2 + d (the ARD kernel overfits them on a handful of points).
 * The gradient along the shared entry is the sum of the ARD gradients (chain rule through θ_j = θ_0 for all j);
 * the length-scale prior is counted once.
 */
export function isotropicLogPosterior(data: GPData, theta: Float64Array): { value: number; grad: Float64Array } {
  const d = data.isCat.length;
  const p = paramsOf(expandIsotropic(theta, d), d);
  const { value: lml, grad: full } = logMarginalLikelihood(data, p);
  const grad = new Float64Array(3);
  if (lml === -Infinity) return { value: lml, grad };
  for (let j = 0; j < d; j++) grad[0] += full[j];
  grad[1] = full[d];
  grad[2] = full[d + 1];
  const v = p.inverseSquaredLengthscales[0];
  const value = lml - (0.1 / v + 0.1 * v);
  grad[0] += 0.1 / v - 0.1 * v;
  return { value: addScaleAndNoisePriors(p, value, grad, 1), grad };
}

/** The ARD θ of an isotropic one: the shared log 1/ℓ² in each of the d dimensions. */
function expandIsotropic(theta: Float64Array, d: number): Float64Array {
  const full = new Float64Array(d + 2);
  full.fill(theta[0], 0, d);
  full[d] = theta[1];
  full[d + 1] = theta[2];
  return full;
}

/**
 * At most this many points enter the hyperparameter fit: each evaluation of the marginal likelihood is O(n³), and
 * the fit runs dozens of them, so beyond it the hyperparameters come from a subset (the best half and an even
 * spread of the rest) while the posterior itself still conditions on every point (one O(n³) factorisation).
 */
export const MAX_FIT_POINTS = 64;

/** The points the hyperparameters are fitted on: all of them, or the best MAX_FIT_POINTS/2 and an even spread of the rest. */
export function fitSubset(data: GPData, max = MAX_FIT_POINTS): GPData {
  const { n, x, y, isCat } = data;
  if (n <= max) return data;
  const d = isCat.length;
  const byValue = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const best = byValue.slice(0, max / 2);
  const rest = byValue.slice(max / 2).sort((a, b) => a - b);
  const spread = Array.from({ length: max / 2 }, (_, k) => rest[Math.floor((k * rest.length) / (max / 2))]);
  const rows = [...best, ...spread].sort((a, b) => a - b);
  return {
    n: rows.length,
    x: Float64Array.from(rows.flatMap((r) => Array.from(x.subarray(r * d, r * d + d)))),
    y: Float64Array.from(rows, (r) => y[r]),
    isCat,
  };
}

/** How the kernel's length scales are parameterised: one per dimension (ARD), or one shared by all. */
export type Lengthscales = 'ard' | 'isotropic';

/**
 * Fits the hyperparameters (L-BFGS from 1/ℓ² = 1, σ_f² = 1, σ_n² = 0.01, as Optuna starts) and factorises K.
 * `lengthscales: 'isotropic'` fits one length scale for every dimension (GPSampler's small-budget option).
 */
export function fitGP(data: GPData, opts: { maxIterations?: number; lengthscales?: Lengthscales } = {}): FittedGP {
  const d = data.isCat.length;
  const iso = opts.lengthscales === 'isotropic';
  const start = new Float64Array(iso ? 3 : d + 2);
  start[start.length - 1] = Math.log(0.01);
  const fitData = fitSubset(data);
  const objective = iso ? isotropicLogPosterior : logPosterior;
  const fitted = lbfgsMaximise((t) => objective(fitData, t), start, { maxIterations: opts.maxIterations ?? 50, bound: 10 });
  const params = paramsOf(iso ? expandIsotropic(fitted, d) : fitted, d);
  const chol = choleskyWithJitter(covariance(data.x, data.n, data.isCat, params), data.n);
  if (chol === null) throw new RangeError('GP: the covariance matrix is not positive definite even with jitter');
  const alpha = solveLowerTransposed(chol, data.n, solveLower(chol, data.n, data.y));
  return { data, params, chol, alpha };
}
