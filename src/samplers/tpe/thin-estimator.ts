/**
 * A cap on the kernels TPE evaluates for the bad group's density g(x). g has one kernel per bad trial, so scoring
 * the candidates costs O(nCandidates · n) and grows without bound with the study; the good group is at most 25.
 * Above the cap, g is evaluated on a stratified subsample of its kernels: the observation kernels (in trial-number
 * order, which is the order their age weights ramp in) are cut into `maxKernels - 1` contiguous strata of equal
 * size, each stratum is represented by its middle kernel carrying the stratum's whole weight, and the prior kernel
 * is kept as it is. Every kernel keeps the bandwidth it got from the full estimator, so the thinned mixture has
 * the same weights per stratum and the same shape per kernel: a one-point-per-stratum estimate of g (stratified
 * sampling, Cochran 1977, ch. 5), deterministic, with no random draw, so the seeded candidates are unchanged.
 * At or below the cap the estimator is returned as it is: suggestions are bit-identical to uncapped TPE.
 */
import type { CategoricalKernels, DimensionKernels, NumericKernels, ParzenEstimator } from './parzen-estimator.js';

/** `pe` with at most `maxKernels` kernels (see above); `hasPrior`: its last kernel is the prior, kept exactly. */
export function thinEstimator(pe: ParzenEstimator, maxKernels: number, hasPrior: boolean): ParzenEstimator {
  if (pe.nKernels <= maxKernels) return pe;
  const nObs = hasPrior ? pe.nKernels - 1 : pe.nKernels;
  const nStrata = hasPrior ? maxKernels - 1 : maxKernels;
  const keep = new Uint32Array(nStrata + (hasPrior ? 1 : 0));
  const weights = new Float64Array(keep.length);
  for (let s = 0; s < nStrata; s++) {
    const lo = Math.floor((s * nObs) / nStrata);
    const hi = Math.floor(((s + 1) * nObs) / nStrata);
    keep[s] = (lo + hi - 1) >>> 1;
    for (let k = lo; k < hi; k++) weights[s] += pe.weights[k];
  }
  if (hasPrior) {
    keep[nStrata] = nObs;
    weights[nStrata] = pe.weights[nObs];
  }
  const logWeights = new Float64Array(keep.length);
  const cumWeights = new Float64Array(keep.length);
  let acc = 0;
  for (let i = 0; i < keep.length; i++) {
    logWeights[i] = Math.log(weights[i]);
    cumWeights[i] = acc += weights[i];
  }
  return { nKernels: keep.length, weights, logWeights, cumWeights, dims: pe.dims.map((d) => thinDimension(d, keep)) };
}

function thinDimension(d: DimensionKernels, keep: Uint32Array): DimensionKernels {
  return d.kind === 'categorical' ? thinCategorical(d, keep) : thinNumeric(d, keep);
}

const gather = (xs: Float64Array, keep: Uint32Array): Float64Array => Float64Array.from(keep, (k) => xs[k]);

function thinNumeric(d: NumericKernels, keep: Uint32Array): NumericKernels {
  return {
    ...d,
    mus: gather(d.mus, keep),
    sigmas: gather(d.sigmas, keep),
    invSigmas: gather(d.invSigmas, keep),
    logMass: gather(d.logMass, keep),
    logNorm: gather(d.logNorm, keep),
    // The distinct (μ, σ) table stays valid: the kept kernels still point into it.
    distinct: d.distinct === null ? null : { ...d.distinct, of: Uint32Array.from(keep, (k) => (d.distinct as NonNullable<NumericKernels['distinct']>).of[k]) },
  };
}

function thinCategorical(d: CategoricalKernels, keep: Uint32Array): CategoricalKernels {
  const c = d.nChoices;
  const probs = new Float64Array(keep.length * c);
  const logProbs = new Float64Array(keep.length * c);
  keep.forEach((k, i) => {
    probs.set(d.probs.subarray(k * c, (k + 1) * c), i * c);
    logProbs.set(d.logProbs.subarray(k * c, (k + 1) * c), i * c);
  });
  return { ...d, probs, logProbs };
}
