export type { Sampler, SamplerContext } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { TPESampler } from './tpe/sampler.js';
export { type TPESamplerOptions, type Startup, type TiedValues, DEFAULT_TPE_OPTIONS, OPTUNA31_TPE_OPTIONS, defaultGamma, defaultWeights, linearGamma } from './tpe/options.js';
export { QMCSampler, type QMCSamplerOptions } from './qmc/qmc-sampler.js';
export { ScrambledHalton } from './qmc/halton.js';
export { MaximinLatinHypercube } from './qmc/latin-hypercube.js';
export { GPSampler, type GPSamplerOptions } from './gp/gp-sampler.js';
