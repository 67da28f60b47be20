import { ConfigError } from '../errors.js';

/** Linear warmup then cosine decay, evaluated per optimizer step. */
export interface LrSchedule {
  /** Peak learning rate, reached at the end of warmup. */
  readonly baseLr: number;
  /** Steps of linear warmup (0 = none). */
  readonly warmupSteps: number;
  /** Total optimizer steps of the run; the cosine reaches its floor here. */
  readonly totalSteps: number;
  /** Floor as a fraction of `baseLr` (0 = decay to zero). */
  readonly minLrRatio: number;
}

/**
 * Learning rate at 0-based optimizer step `step`.
 * Warmup (Goyal et al. 2017, "Accurate, Large Minibatch SGD"): lr = baseLr · (step + 1) / warmupSteps, so the
 * first step already moves and step warmupSteps − 1 reaches baseLr.
 * Cosine (Loshchilov & Hutter 2017, SGDR, without restarts): with p = (step − warmupSteps) / (totalSteps − warmupSteps)
 * clamped to [0, 1], lr = baseLr · (r + (1 − r) · ½ (1 + cos πp)), r = minLrRatio.
 * @example
 * lrAt(0, { baseLr: 1e-3, warmupSteps: 10, totalSteps: 100, minLrRatio: 0.1 }) // 1e-4
 */
export function lrAt(step: number, s: LrSchedule): number {
  if (step < s.warmupSteps) return (s.baseLr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const p = Math.min(1, Math.max(0, (step - s.warmupSteps) / span));
  return s.baseLr * (s.minLrRatio + (1 - s.minLrRatio) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/** Options as a caller gives them: warmup either in steps or as a fraction of the run. */
export interface LrScheduleOptions {
  readonly learningRate: number;
  readonly warmupSteps?: number;
  readonly warmupFraction?: number;
  readonly minLrRatio?: number;
}

/** Resolve and validate schedule options for a run of `totalSteps` steps; errors name the field. */
export function resolveLrSchedule(o: LrScheduleOptions, totalSteps: number): LrSchedule {
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) {
    throw new ConfigError(`learningRate: must be a finite number > 0, got ${o.learningRate}`);
  }
  if (o.warmupSteps !== undefined && o.warmupFraction !== undefined) {
    throw new ConfigError('warmupSteps / warmupFraction: give one or the other, not both');
  }
  if (o.warmupSteps !== undefined && !(Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0)) {
    throw new ConfigError(`warmupSteps: must be an integer ≥ 0, got ${o.warmupSteps}`);
  }
  if (o.warmupFraction !== undefined && !(o.warmupFraction >= 0 && o.warmupFraction < 1)) {
    throw new ConfigError(`warmupFraction: must be in [0, 1), got ${o.warmupFraction}`);
  }
  const minLrRatio = o.minLrRatio ?? 0;
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new ConfigError(`minLrRatio: must be in [0, 1], got ${minLrRatio}`);
  const warmupSteps = o.warmupSteps ?? Math.round((o.warmupFraction ?? 0) * totalSteps);
  return { baseLr: o.learningRate, warmupSteps, totalSteps, minLrRatio };
}
