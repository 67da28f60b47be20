import { ConfigError } from '../errors.js';
import type { ParamValue, SearchSpace } from '../space/distributions.js';
import { SAMPLER_NAMES } from './names.js';
import { GPSampler, GridSampler, QMCSampler, RandomSampler, TPESampler } from './index.js';
import type { SamplerName } from './names.js';
import type { Sampler } from './sampler.js';

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

/** The budgets and sizes where `--sampler auto` picks the GP: it won from 25 trials on (docs/benchmarks/samplers.md) and costs O(n³). */
export const AUTO_GP = { minTrials: 20, maxTrials: 300, maxParams: 20 } as const;

/**
 * `--sampler auto`: the GP for a budget of 20–300 trials over at most 20 parameters, where it beat TPE on the suite
 * (held-out seeds 100–119 and seeds 0–19); TPE otherwise (small budgets, large studies, wide spaces, or no budget known).
 */
export function autoSamplerName(space: SearchSpace, nTrials: number | undefined): 'gp' | 'tpe' {
  if (nTrials === undefined || nTrials < AUTO_GP.minTrials || nTrials > AUTO_GP.maxTrials) return 'tpe';
  return Object.keys(space).length <= AUTO_GP.maxParams ? 'gp' : 'tpe';
}

/** The sampler for `--sampler`, seeded; TPE and the GP use the constant liar when trials run in parallel. */
export function makeSampler(name: SamplerName, opts: { seed: number; space: SearchSpace; constantLiar?: boolean; nTrials?: number }): Sampler {
  if (name === 'auto') return makeSampler(autoSamplerName(opts.space, opts.nTrials), opts);
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
