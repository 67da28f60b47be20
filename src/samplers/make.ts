import { ConfigError } from '../errors.js';
import type { ParamValue, SearchSpace } from '../space/distributions.js';
import { SAMPLER_NAMES } from './names.js';
import { GPSampler, GridSampler, QMCSampler, RandomSampler, TPESampler } from './index.js';
import type { SamplerName } from './names.js';
import type { Sampler } from './sampler.js';
import type { Lengthscales } from './gp/fit.js';

/** A grid for GridSampler from a declared space: categorical choices and stepped ranges; continuous ranges refused. */
export function gridFromSpace(space: SearchSpace): Record<string, ParamValue[]> {
  const grid: Record<string, ParamValue[]> = {};
  for (const [name, d] of Object.entries(space)) {
    if (d.kind === 'categorical') {
      grid[name] = [...d.choices];
      continue;
    }
    if (d.step === null || d.log) {
      throw new ConfigError(
        `--sampler grid: parameter '${name}' is a continuous ${d.kind} range; give it a step (${d.kind}(${d.low}, ${d.high}, { step: … })) ` +
          'or use --sampler tpe|gp|auto|random|qmc',
        { code: 'USAGE' },
      );
    }
    const { low, high, step } = d;
    const n = Math.floor((high - low) / step + 1e-9) + 1;
    grid[name] = Array.from({ length: n }, (_, i) => +(low + i * step).toPrecision(15));
  }
  return grid;
}

/**
 * Where `--sampler auto` picks the GP: a budget of 20–300 trials over 4–20 parameters, none of them conditional.
 * Chosen among six rules on the selection part of the broad benchmark (docs/benchmarks/samplers.md, "Broad
 * benchmark"): there the GP won on most 4–10-parameter problems and lost on the 2–3-parameter needle and noisy
 * multimodal ones and on the conditional space (it models only the parameters every trial has); it costs O(n³).
 */
export const AUTO_GP = { minTrials: 20, maxTrials: 300, minParams: 4, maxParams: 20 } as const;

/** What `--sampler auto` builds: the sampler, and for TPE a start-up count that fits the budget. */
export interface AutoChoice {
  readonly sampler: 'gp' | 'tpe';
  /** Quasi-random start-up trials: half the budget, at most 10 (TPE); 8 for the GP, 4 below 20 trials. */
  readonly nStartupTrials: number;
  /** The GP's kernel: one length scale per dimension, or one shared by all below 20 trials. */
  readonly lengthscales?: Lengthscales;
}

/** TPE's start-up under `auto`: ⌈budget / 2⌉, at most 10 (Optuna's count); 8 (the `tpe` default) with no budget known. */
export function autoStartupTrials(nTrials: number | undefined): number {
  if (nTrials === undefined || !Number.isSafeInteger(nTrials) || nTrials < 1) return 8;
  return Math.min(10, Math.ceil(nTrials / 2));
}

/** Below 20 trials `auto`'s GP starts after this many Halton trials and fits one shared length scale (session 26). */
export const AUTO_SMALL_GP_STARTUP = 4;

/**
 * `--sampler auto` (the CLI's default) over 4–20 parameters when none is conditional: the GP (ARD kernel) for
 * 20–300 trials, and below 20 trials the GP with one isotropic length scale after 4 Halton trials — with 3
 * hyperparameters instead of 2 + d it can be fitted on a dozen points (chosen on the broad benchmark's selection
 * part, docs/benchmarks/samplers.md, "Session 26"). TPE otherwise (large studies, narrow or wide spaces,
 * conditional spaces, or no budget known), its start-up fitted to the budget. `conditional`: some parameters are
 * suggested only in some trials.
 */
export function autoChoice(space: SearchSpace, nTrials: number | undefined, opts: { conditional?: boolean } = {}): AutoChoice {
  const nParams = Object.keys(space).length;
  const gpSpace = nParams >= AUTO_GP.minParams && nParams <= AUTO_GP.maxParams && opts.conditional !== true;
  if (gpSpace && nTrials !== undefined && nTrials >= 1 && nTrials < AUTO_GP.minTrials) {
    return { sampler: 'gp', nStartupTrials: AUTO_SMALL_GP_STARTUP, lengthscales: 'isotropic' };
  }
  const gp = gpSpace && nTrials !== undefined && nTrials >= AUTO_GP.minTrials && nTrials <= AUTO_GP.maxTrials;
  return gp ? { sampler: 'gp', nStartupTrials: 8 } : { sampler: 'tpe', nStartupTrials: autoStartupTrials(nTrials) };
}

/** The sampler `--sampler auto` picks (autoChoice). */
export function autoSamplerName(space: SearchSpace, nTrials: number | undefined, opts: { conditional?: boolean } = {}): 'gp' | 'tpe' {
  return autoChoice(space, nTrials, opts).sampler;
}

/**
 * Under `--sampler auto` TPE keeps a tied value out of its good group when the trial is also at the earlier trial's
 * point up to 0.03 of each axis — a cell of a hidden grid evaluated again, not another point on a plateau (session
 * 29c's B′, chosen on the selection part and checked on held-out seeds 2000–2999: docs/benchmarks/samplers.md).
 */
export const AUTO_TPE_TIES = { tiedValues: 'near', tiedDistance: 0.03 } as const;

/** The sampler for `--sampler`, seeded; TPE and the GP use the constant liar when trials run in parallel. */
export function makeSampler(
  name: SamplerName,
  opts: { seed: number; space: SearchSpace; constantLiar?: boolean; nTrials?: number; conditional?: boolean },
): Sampler {
  if (name === 'auto') {
    const c = autoChoice(opts.space, opts.nTrials, { conditional: opts.conditional });
    const common = { seed: opts.seed, space: opts.space, constantLiar: opts.constantLiar ?? false, nStartupTrials: c.nStartupTrials };
    return c.sampler === 'gp' ? new GPSampler({ ...common, lengthscales: c.lengthscales }) : new TPESampler({ ...common, ...AUTO_TPE_TIES });
  }
  switch (name) {
    case 'tpe':
      return new TPESampler({ seed: opts.seed, space: opts.space, constantLiar: opts.constantLiar ?? false });
    case 'gp':
      return new GPSampler({ seed: opts.seed, space: opts.space, constantLiar: opts.constantLiar ?? false });
    case 'random':
      return new RandomSampler({ seed: opts.seed });
    case 'qmc':
      return new QMCSampler({ space: opts.space, seed: opts.seed });
    case 'grid':
      return new GridSampler({ searchSpace: gridFromSpace(opts.space), seed: opts.seed });
    default:
      throw new ConfigError(`--sampler: unknown sampler ${JSON.stringify(name)}; expected one of ${SAMPLER_NAMES.join(', ')}`, { code: 'USAGE' });
  }
}
