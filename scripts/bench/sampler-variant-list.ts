/**
 * The TPE configurations compared by sampler-variants.ts, each one component of Watanabe 2023 ("Tree-Structured
 * Parzen Estimator: Understanding Its Algorithm Components and Their Roles for Better Empirical Performance",
 * arXiv 2304.11127), Optuna ≥ 3.2, or Bergstra et al. 2011, alone and in combination. `optuna31` is the
 * Optuna-3.1-faithful baseline and must stay explicit so it does not move when the library default does.
 */
import type { TPESamplerOptions } from '../../src/samplers/index.js';
import { OPTUNA31_TPE_OPTIONS } from '../../src/samplers/index.js';

/** Linear split ⌈β·n⌉ capped at 25 (Watanabe 2023, Table 3, "linear" splitting). */
const linearGamma = (beta: number) => (n: number): number => Math.min(Math.ceil(beta * n), 25);
/** Flat kernel weights (Watanabe 2023, Table 3, "uniform" weighting). */
const uniform = (n: number): Float64Array => new Float64Array(n).fill(1);

const MV: TPESamplerOptions = { ...OPTUNA31_TPE_OPTIONS, multivariate: true };
const MV_NB: TPESamplerOptions = { ...MV, bandwidth: 'neighbour' };

export const VARIANTS: Readonly<Record<string, TPESamplerOptions>> = {
  optuna31: OPTUNA31_TPE_OPTIONS,
  /** The library default, whatever it is at the time of the run. */
  default: {},
  // Univariate components.
  'uni-endpoints': { ...OPTUNA31_TPE_OPTIONS, considerEndpoints: true },
  'uni-gamma15': { ...OPTUNA31_TPE_OPTIONS, gamma: linearGamma(0.15) },
  'uni-improvement': { ...OPTUNA31_TPE_OPTIONS, goodWeighting: 'improvement' },
  'uni-clip2-d03': { ...OPTUNA31_TPE_OPTIONS, magicClipExponent: 2, minBandwidthFactor: 0.03 },
  // Multivariate (Optuna's Scott-style bandwidth) and its components.
  mv: MV,
  'mv-gamma15': { ...MV, gamma: linearGamma(0.15) },
  'mv-improvement': { ...MV, goodWeighting: 'improvement' },
  'mv-uniform': { ...MV, weights: uniform },
  'mv-cand48': { ...MV, nEiCandidates: 48 },
  // Multivariate with the neighbour (hyperopt) bandwidth per dimension.
  'mv-nb': MV_NB,
  'mv-nb-endpoints': { ...MV_NB, considerEndpoints: true },
  'mv-nb-gamma15': { ...MV_NB, gamma: linearGamma(0.15) },
  'mv-nb-improvement': { ...MV_NB, goodWeighting: 'improvement' },
  'mv-nb-clip2-d03': { ...MV_NB, magicClipExponent: 2, minBandwidthFactor: 0.03 },
  'mv-nb-clip2-d01': { ...MV_NB, magicClipExponent: 2, minBandwidthFactor: 0.01 },
  // Combinations.
  'uni-improvement-endpoints': { ...OPTUNA31_TPE_OPTIONS, goodWeighting: 'improvement', considerEndpoints: true },
  'mv-improvement-gamma15': { ...MV, goodWeighting: 'improvement', gamma: linearGamma(0.15) },
  'mv-improvement-uniform': { ...MV, goodWeighting: 'improvement', weights: uniform },
  'mv-improvement-cand48': { ...MV, goodWeighting: 'improvement', nEiCandidates: 48 },
  'mv-improvement-clip2-d03': { ...MV, goodWeighting: 'improvement', magicClipExponent: 2, minBandwidthFactor: 0.03 },
  'mv-improvement-prior2': { ...MV, goodWeighting: 'improvement', priorWeight: 2 },
  // Second round, around the best of the first (multivariate + improvement weighting).
  'mv-improvement-endpoints': { ...MV, goodWeighting: 'improvement', considerEndpoints: true },
  'mv-improvement-gamma15-cand48': { ...MV, goodWeighting: 'improvement', gamma: linearGamma(0.15), nEiCandidates: 48 },
  'mv-improvement-gamma15-clip2-d03': { ...MV, goodWeighting: 'improvement', gamma: linearGamma(0.15), magicClipExponent: 2, minBandwidthFactor: 0.03 },
  'mv-improvement-gamma20': { ...MV, goodWeighting: 'improvement', gamma: linearGamma(0.2) },
  'mv-nb-ep-improvement': { ...MV_NB, considerEndpoints: true, goodWeighting: 'improvement' },
  'mv-nb-ep-clip2-d03-improvement': { ...MV_NB, considerEndpoints: true, magicClipExponent: 2, minBandwidthFactor: 0.03, goodWeighting: 'improvement' },
  'mv-nb-ep-clip2-d03-improvement-gamma15': {
    ...MV_NB, considerEndpoints: true, magicClipExponent: 2, minBandwidthFactor: 0.03, goodWeighting: 'improvement', gamma: linearGamma(0.15),
  },
};
