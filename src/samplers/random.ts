import type { Distribution, ParamValue, SearchSpace } from '../space/distributions.js';
import { isSingle, toExternal } from '../space/distributions.js';
import type { FrozenTrial } from '../core/frozen.js';
import { Rng, hashString } from '../util/rng.js';
import { fromTransformed, transformedBounds } from './numeric-space.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { resolveSeed } from './seed.js';

export interface RandomSamplerOptions {
  /** Same seed and trial number → same suggestion. Omit for a non-reproducible sampler. */
  readonly seed?: number;
}

/**
 * One value drawn uniformly from `d` (log ranges uniformly in log space, stepped and integer ranges uniformly
 * over their grid points), as Optuna's RandomSampler does.
 */
export function sampleUniform(d: Distribution, rng: Rng): ParamValue {
  if (d.kind === 'categorical') return toExternal(d, rng.int(d.choices.length));
  if (isSingle(d)) return d.low;
  const { low, high } = transformedBounds(d);
  return fromTransformed(d, rng.uniform(low, high));
}

/**
 * Independent uniform sampling, seeded per trial and parameter.
 * @example const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), direction: 'minimize' });
 */
export class RandomSampler implements Sampler {
  readonly #seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.#seed = resolveSeed('RandomSampler', options.seed);
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return sampleUniform(distribution, new Rng(this.#seed, trial.number, hashString(name)));
  }
}
