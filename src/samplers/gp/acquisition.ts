/**
 * The GP posterior at a point and log expected improvement (Ament et al. 2023, "Unexpected improvements to
 * expected improvement", LogEI): EI itself underflows far from the incumbent, where the acquisition must still
 * rank candidates, so it is computed in log space throughout.
 */
import { LOG_SQRT_2PI, ndtr } from '../tpe/truncnorm.js';
import { matern52, scaledDistance2 } from './kernel.js';
import type { FittedGP } from './fit.js';
import { solveLower } from './linalg.js';

/** Buffers for `posterior`, allocated once per acquisition search rather than once per candidate. */
export interface PosteriorScratch {
  readonly kStar: Float64Array;
  readonly v: Float64Array;
}

export function posteriorScratch(n: number): PosteriorScratch {
  return { kStar: new Float64Array(n), v: new Float64Array(n) };
}

/** Posterior mean and variance at row `row` of `points` (d columns), for the standardised targets. */
export function posterior(gp: FittedGP, points: Float64Array, row: number, scratch = posteriorScratch(gp.data.n)): { mean: number; variance: number } {
  const { x, n, isCat } = gp.data;
  const { inverseSquaredLengthscales: invLs2, scale } = gp.params;
  const { kStar } = scratch;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    kStar[i] = scale * matern52(scaledDistance2(points, row, x, i, isCat, invLs2));
    mean += kStar[i] * gp.alpha[i];
  }
  const v = solveLower(gp.chol, n, kStar, scratch.v);
  let variance = scale;
  for (let i = 0; i < n; i++) variance -= v[i] * v[i];
  return { mean, variance: Math.max(variance, 1e-12) };
}

/**
 * log h(z) with h(z) = φ(z) + z·Φ(z), the standardised EI. Computed directly down to z = −10 (the sum loses about
 * 2·log10|z| digits to cancellation there, still 14 left); below, h(z) = φ(z)·(1 − |z|·R(|z|)) with Mills' ratio R,
 * whose asymptotic series (Abramowitz & Stegun 26.2.12) gives
 * log h = log φ(z) − 2·log|z| + log(1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸).
 */
export function logH(z: number): number {
  if (z > -10) return Math.log(Math.exp(-0.5 * z * z - LOG_SQRT_2PI) + z * ndtr(z));
  const u = 1 / (z * z);
  return -0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(-z) + Math.log(1 - 3 * u + 15 * u * u - 105 * u ** 3 + 945 * u ** 4);
}

/** log EI of minimising below `best` for a Gaussian posterior (mean, variance). */
export function logExpectedImprovement(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + logH((best - mean) / sigma);
}

