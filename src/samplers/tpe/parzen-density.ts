/**
 * Drawing from a Parzen estimator and evaluating its log density at many points, the two hot loops of TPE.
 * Densities of all candidates under all kernels go into one reused scratch matrix (candidates × kernels), so a
 * trial allocates nothing per candidate.
 */
import { fromTransformed, toTransformed } from '../numeric-space.js';
import type { Rng } from '../../util/rng.js';
import type { CategoricalKernels, NumericKernels, ParzenEstimator } from './parzen-estimator.js';
import { logGaussMass, truncnormPpf } from './truncnorm.js';

/** Terms more than this far below the row maximum add < 1e-17 relative to it; skipping them saves an exp. */
const LOG_SUM_CUTOFF = -40;

let scratch = new Float64Array(1024);
let incrementScratch = new Float64Array(1024);

function scratchOf(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
  return scratch;
}

function incrementScratchOf(size: number): Float64Array {
  if (incrementScratch.length < size) incrementScratch = new Float64Array(Math.max(size, incrementScratch.length * 2));
  return incrementScratch;
}

/** Index of the kernel whose cumulative weight first exceeds u (binary search). */
function pickKernel(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `size` points from the mixture, one array per dimension of internal values (numbers; choice indices for
 * categoricals). A kernel is drawn by weight, then each dimension from that kernel by inverse CDF.
 */
export function sampleParzenEstimator(pe: ParzenEstimator, rng: Rng, size: number): Float64Array[] {
  const active = new Uint32Array(size);
  const total = pe.cumWeights[pe.cumWeights.length - 1];
  for (let j = 0; j < size; j++) active[j] = pickKernel(pe.cumWeights, rng.random() * total);
  return pe.dims.map((dim) => {
    const out = new Float64Array(size);
    if (dim.kind === 'categorical') {
      for (let j = 0; j < size; j++) {
        const row = active[j] * dim.nChoices;
        let u = rng.random();
        let c = 0;
        while (c < dim.nChoices - 1 && (u -= dim.probs[row + c]) >= 0) c++;
        out[j] = c;
      }
      return out;
    }
    for (let j = 0; j < size; j++) {
      const k = active[j];
      const mu = dim.mus[k];
      const inv = dim.invSigmas[k];
      const z = truncnormPpf(rng.random(), (dim.low - mu) * inv, (dim.high - mu) * inv);
      out[j] = fromTransformed(dim.distribution, mu + z * dim.sigmas[k]);
    }
    return out;
  });
}

/** acc[j·K + k] += log density of candidate j's continuous coordinate under kernel k. */
function addContinuous(dim: NumericKernels, xs: Float64Array, acc: Float64Array, nK: number): void {
  const { mus, invSigmas, logNorm } = dim;
  for (let j = 0; j < xs.length; j++) {
    const x = toTransformed(dim.distribution, xs[j]);
    const row = j * nK;
    for (let k = 0; k < nK; k++) {
      const z = (x - mus[k]) * invSigmas[k];
      acc[row + k] += -0.5 * z * z - logNorm[k];
    }
  }
}

/**
 * Stepped and integer coordinates: the kernel's probability of the grid cell [x - q/2, x + q/2] (clipped to the
 * range), renormalised by its mass in range. Candidates repeat few grid values, so each distinct value's row is
 * computed once and copied.
 */
function addDiscrete(dim: NumericKernels, q: number, xs: Float64Array, acc: Float64Array, nK: number): void {
  const { mus, invSigmas, logMass } = dim;
  const inc = incrementScratchOf(xs.length * nK);
  const slotOf = new Map<number, number>();
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j];
    let slot = slotOf.get(x);
    if (slot === undefined) {
      slot = slotOf.size;
      slotOf.set(x, slot);
      const lo = Math.max(x - 0.5 * q, dim.low);
      const hi = Math.min(x + 0.5 * q, dim.high);
      const base = slot * nK;
      for (let k = 0; k < nK; k++) {
        inc[base + k] = logGaussMass((lo - mus[k]) * invSigmas[k], (hi - mus[k]) * invSigmas[k]) - logMass[k];
      }
    }
    const row = j * nK;
    const base = slot * nK;
    for (let k = 0; k < nK; k++) acc[row + k] += inc[base + k];
  }
}

function addCategorical(dim: CategoricalKernels, xs: Float64Array, acc: Float64Array, nK: number): void {
  const c = dim.nChoices;
  for (let j = 0; j < xs.length; j++) {
    const row = j * nK;
    const choice = xs[j];
    for (let k = 0; k < nK; k++) acc[row + k] += dim.logProbs[k * c + choice];
  }
}

/**
 * log p(x) of each candidate under the mixture: log Σ_k w_k Π_d p_kd(x_d), by log-sum-exp over kernels.
 * `samples` is one array per dimension, as `sampleParzenEstimator` returns; results go into `out`.
 */
export function parzenLogPdf(pe: ParzenEstimator, samples: readonly Float64Array[], out: Float64Array): void {
  const m = out.length;
  const nK = pe.nKernels;
  const acc = scratchOf(m * nK);
  for (let j = 0; j < m; j++) acc.set(pe.logWeights, j * nK);
  pe.dims.forEach((dim, d) => {
    if (dim.kind === 'categorical') addCategorical(dim, samples[d], acc, nK);
    else if (dim.q === null) addContinuous(dim, samples[d], acc, nK);
    else addDiscrete(dim, dim.q, samples[d], acc, nK);
  });
  for (let j = 0; j < m; j++) {
    const row = j * nK;
    let max = -Infinity;
    for (let k = 0; k < nK; k++) if (acc[row + k] > max) max = acc[row + k];
    if (max === -Infinity) {
      out[j] = -Infinity;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < nK; k++) {
      const t = acc[row + k] - max;
      if (t > LOG_SUM_CUTOFF) sum += Math.exp(t);
    }
    out[j] = max + Math.log(sum);
  }
}
