/**
 * The standard normal CDF in log space and the truncated normal's quantile and mass, written after Optuna 3.1's
 * `samplers/_tpe/_truncnorm.py` (itself after SciPy's `truncnorm`). Everything that can underflow is kept in
 * log space: the Parzen estimator evaluates kernels whose truncation interval sits 30+ standard deviations away
 * from the kernel centre, where Φ(a) is below 1e-200.
 */
import { erf, erfc } from './erf.js';

/** log √(2π), the normal density's log normaliser. */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Log density of the standard normal. */
export function normLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/** Standard normal CDF Φ(a), using erfc in both tails so neither side cancels. */
export function ndtr(a: number): number {
  const x = a * Math.SQRT1_2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/**
 * log Φ(a). For a < -20 Φ(a) underflows, so the asymptotic series (Abramowitz & Stegun 26.2.12)
 * log Φ(a) = -a²/2 - log(-a) - log √(2π) + log(1 - 1/a² + 3/a⁴ - 15/a⁶ + …) is summed until it stops changing.
 */
export function logNdtr(a: number): number {
  if (a > 6) return Math.log1p(-ndtr(-a));
  if (a > -20) return Math.log(ndtr(a));
  if (a === -Infinity) return -Infinity;
  const logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
  const inv = 1 / (a * a);
  let total = 1;
  let last = 0;
  let term = 1;
  for (let i = 1; Math.abs(last - total) > Number.EPSILON && i < 100; i++) {
    last = total;
    term *= -(2 * i - 1) * inv;
    total += term;
  }
  return logLhs + Math.log(total);
}

/** log(eᵖ + e^q) without overflow. */
export function logAddExp(p: number, q: number): number {
  const m = p > q ? p : q;
  if (m === -Infinity) return -Infinity;
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** log(eᵖ - e^q) for p ≥ q. */
function logSubExp(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/**
 * log(Φ(b) - Φ(a)) for a ≤ b: the log probability mass of the standard normal in [a, b]. Intervals wholly in
 * one tail are mirrored into the left tail, where log Φ is accurate; central intervals use 1 - Φ(a) - Φ(-b).
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logSubExp(logNdtr(b), logNdtr(a));
  if (a > 0) return logSubExp(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.2e-9), refined by Newton steps in ndtriExp.
const ACK_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACK_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACK_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACK_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function horner(c: readonly number[], x: number): number {
  let r = 0;
  for (const v of c) r = r * x + v;
  return r;
}

/** Φ⁻¹(p) for p in (0, 1), approximate (Acklam 2003). */
function ndtriApprox(p: number): number {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(ACK_C, q) / (horner(ACK_D, q) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    return -horner(ACK_C, q) / (horner(ACK_D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(ACK_A, r) * q) / (horner(ACK_B, r) * r + 1);
}

/**
 * The x with log Φ(x) = y, for y ≤ 0 (SciPy's `ndtri_exp`). Optuna 3.1 bisects 100 times; here a rational
 * first guess (or, for y < -700 where e^y underflows, the asymptotic x ≈ -√(-2y - log(-2y) - log 2π)) is
 * polished with Newton's method on log Φ, which is concave, so the steps converge quickly and monotonically.
 */
export function ndtriExp(y: number): number {
  if (Number.isNaN(y) || y > 0) return NaN;
  if (y === 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  let x: number;
  if (y > -Math.LN2) x = -ndtriApprox(-Math.expm1(y));
  else if (y > -700) x = ndtriApprox(Math.exp(y));
  else x = -Math.sqrt(-2 * y - Math.log(-2 * y) - 2 * LOG_SQRT_2PI);
  for (let i = 0; i < 8; i++) {
    const ln = logNdtr(x);
    // d/dx log Φ(x) = φ(x) / Φ(x)
    const slope = Math.exp(normLogPdf(x) - ln);
    if (!(slope > 0) || !Number.isFinite(slope)) break;
    const dx = (ln - y) / slope;
    x -= dx;
    if (Math.abs(dx) <= 1e-15 * (1 + Math.abs(x))) break;
  }
  return x;
}

/**
 * Quantile of the standard normal truncated to [a, b] at probability q (Optuna `_truncnorm.ppf`). Works from
 * the tail nearer the interval so that q·mass stays representable, then clamps into [a, b] against rounding.
 */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return a;
  if (q <= 0) return a;
  if (q >= 1) return b;
  const logMass = logGaussMass(a, b);
  let x: number;
  if (a < 0) x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass));
  else x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logMass));
  return x < a ? a : x > b ? b : x;
}

/**
 * Log density at x of N(mu, sigma²) truncated to [low, high]. Unlike Optuna 3.1 this subtracts log σ: 3.1
 * left it out, so its kernels were not normalised (optuna#5109, fixed in optuna#5110 for 3.5).
 */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return normLogPdf(z) - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}
