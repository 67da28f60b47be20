/**
 * The broad sampler benchmark's problem type: a search space in suggestion order, optional conditions (a parameter
 * is suggested only where its condition holds on the parameters before it), and an objective that may be noisy.
 * parzen and the Optuna peers both go through `activeNames`, so they suggest the same parameters in the same order.
 */
import type { ParamValue, SearchSpace } from '../../../src/space/distributions.js';
import { Rng } from '../../../src/util/rng.js';

export type Params = Readonly<Record<string, ParamValue>>;

/** Problem families: the fixed split holds out part of every family, the report is per family too. */
export type Family = 'multimodal' | 'ill-conditioned' | 'plateau' | 'noisy' | 'mixed' | 'tabular' | 'neural';

export interface Evaluation {
  /** What the sampler is told. */
  readonly observed: number;
  /** The noiseless value, what the incumbent is scored by (equal to `observed` for noiseless problems). */
  readonly truth: number;
}

export interface Problem {
  readonly name: string;
  readonly family: Family;
  /** Whether the problem chooses defaults ('select') or only reports on them ('holdout'); fixed before any run. */
  readonly split: 'select' | 'holdout';
  readonly description: string;
  /** Every parameter, in suggestion order (the declared space the quasi-random start-ups use). */
  readonly space: SearchSpace;
  /** Parameter → condition on the parameters before it; absent parameters are always suggested. */
  readonly when?: Readonly<Record<string, (p: Params) => boolean>>;
  /** The objective; `noise` is a standard normal stream seeded by (run seed, trial number), the same for every sampler. */
  readonly evaluate: (p: Params, noise: () => number) => Evaluation;
  /** The minimum of the noiseless objective: published, or the table's minimum for a lookup table. */
  readonly optimum: number;
  /**
   * A lookup table's grid: the cell a suggestion is scored at (the same key for two suggestions the table cannot
   * tell apart), every cell with its value, and each parameter's grid values (a suggestion is scored at the nearest,
   * in the sampler's log space for a log-scaled parameter); for scripts/bench/broad-ties.ts and the exact random-search
   * curve of broad/cell-probabilities.ts.
   */
  readonly grid?: {
    readonly cellOf: (p: Params) => number;
    readonly values: readonly number[];
    readonly axes: Readonly<Record<string, readonly ParamValue[]>>;
  };
}

/**
 * Parameters to suggest in rounds: every unconditional one first, then the conditional ones whose condition holds.
 * Conditions may only read unconditional parameters, so two rounds always suffice.
 */
export function unconditionalNames(problem: Problem): string[] {
  return Object.keys(problem.space).filter((n) => problem.when?.[n] === undefined);
}

export function conditionalNames(problem: Problem, p: Params): string[] {
  const when = problem.when ?? {};
  return Object.keys(problem.space).filter((n) => when[n] !== undefined && when[n](p));
}

/** A standard normal stream for one trial of one run (Box–Muller over parzen's seeded Rng). */
export function noiseStream(seed: number, trialNumber: number): () => number {
  const rng = new Rng(0x6e6f6973, seed, trialNumber);
  return () => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
}

/** A noiseless problem's evaluation. */
export const exact = (v: number): Evaluation => ({ observed: v, truth: v });
