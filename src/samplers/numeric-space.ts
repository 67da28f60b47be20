/**
 * How a numeric distribution maps to the continuous interval samplers draw from (Optuna's
 * `_SearchSpaceTransform` and `_ParzenEstimator._calculate_parzen_bounds`): log ranges are sampled in log
 * space, and stepped or integer ranges are widened by half a step on each side so that rounding gives every
 * grid point (the end points included) the same share of the interval.
 */
import type { FloatDistribution, IntDistribution } from '../space/distributions.js';

export type NumericDistribution = FloatDistribution | IntDistribution;

/** The step a numeric distribution rounds to, or null when continuous (log ranges are continuous in log space). */
export function stepOf(d: NumericDistribution): number | null {
  return d.log ? null : d.step;
}

/**
 * The largest grid point ≤ high. `float(0, 1, { step: 0.3 })` tops out at 0.9; values above it are not in the
 * distribution.
 */
export function topOf(d: NumericDistribution): number {
  const q = stepOf(d);
  if (q === null) return d.high;
  const k = Math.floor((d.high - d.low) / q + 1e-9);
  return d.low + k * q;
}

/** Bounds of the sampling interval in transformed space. */
export function transformedBounds(d: NumericDistribution): { low: number; high: number } {
  if (d.log) {
    if (d.kind === 'int') return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5) };
    return { low: Math.log(d.low), high: Math.log(d.high) };
  }
  const q = stepOf(d);
  if (q === null) return { low: d.low, high: d.high };
  return { low: d.low - 0.5 * q, high: topOf(d) + 0.5 * q };
}

/** Internal value → transformed space (log for log ranges). */
export function toTransformed(d: NumericDistribution, value: number): number {
  return d.log ? Math.log(value) : value;
}

/** Transformed value → a value inside `d`: exp for log ranges, rounded onto the step grid, clamped into range. */
export function fromTransformed(d: NumericDistribution, x: number): number {
  const top = topOf(d);
  let v: number;
  if (d.log) v = d.kind === 'int' ? Math.round(Math.exp(x)) : Math.exp(x);
  else {
    const q = stepOf(d);
    v = q === null ? x : Math.round((x - d.low) / q) * q + d.low;
  }
  return v < d.low ? d.low : v > top ? top : v;
}
