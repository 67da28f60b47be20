import type { Distribution, ParamValue, SearchSpace } from '../space/distributions.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen.js';

/**
 * What a sampler may know about the study: its direction and a snapshot of all its trials (RUNNING ones
 * included, so a sampler can apply a constant liar). Samplers never touch storage.
 */
export interface SamplerContext {
  readonly direction: StudyDirection;
  readonly trials: readonly FrozenTrial[];
}

/**
 * Optuna's sampler protocol. For each new trial the study calls
 *   1. `inferRelativeSearchSpace(ctx, trial)` → the params to sample jointly,
 *   2. `sampleRelative(ctx, trial, space)` → values for them (may be empty),
 *   3. `sampleIndependent(ctx, trial, name, distribution)` for any param `suggest*` asks for that
 *      step 2 did not provide (define-by-run, conditional params).
 *
 * Determinism: a sampler built with a seed draws every random number from an Rng seeded by
 * (seed, trial.number[, hash(param name)]), never from a stream shared across trials. So the same seed and the
 * same finished history give the same suggestion, whichever process or worker asks, and resuming a study in a
 * new process does not replay earlier suggestions.
 */
export interface Sampler {
  inferRelativeSearchSpace(ctx: SamplerContext, trial: FrozenTrial): SearchSpace;
  sampleRelative(ctx: SamplerContext, trial: FrozenTrial, space: SearchSpace): Record<string, ParamValue>;
  sampleIndependent(ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /**
   * Samplers over a finite set of points (GridSampler) say how much of it the study's trials hold, so the study
   * stops asking once every point is taken instead of repeating points. Omitted by samplers that never run out.
   */
  coverage?(ctx: SamplerContext): SpaceCoverage;
}

/** How many of a finite sampler's points the trials of a study hold. */
export interface SpaceCoverage {
  readonly nPoints: number;
  /** Points a finished trial sits on. A trial stopped by an interrupt (FAIL, code INTERRUPTED) holds none. */
  readonly nFinished: number;
  /** Points only a RUNNING trial sits on (this process's or another's). */
  readonly nRunning: number;
}

/** Whether no point is left that no finished or running trial holds: asking again could only repeat one. */
export function isExhausted(c: SpaceCoverage): boolean {
  return c.nFinished + c.nRunning >= c.nPoints;
}
