export type { Sampler, SamplerContext } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { TPESampler } from './tpe/sampler.js';
export { type TPESamplerOptions, DEFAULT_TPE_OPTIONS, OPTUNA31_TPE_OPTIONS, defaultGamma, defaultWeights, linearGamma } from './tpe/options.js';
