export type { Sampler, SamplerContext } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { TPESampler } from './tpe/sampler.js';
export { type TPESamplerOptions, defaultGamma, defaultWeights } from './tpe/options.js';
