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
 * range), renormalised by its mass in range. Candidates repeat few grid values and kernels repeat few (μ, σ)
 * pairs, so the cell mass is computed once per (distinct value, distinct kernel) and gathered.
 */
function addDiscrete(dim: NumericKernels, q: number, xs: Float64Array, acc: Float64Array, nK: number): void {
  const u = dim.distinct as NonNullable<NumericKernels['distinct']>;
  const nU = u.mus.length;
  const inc = incrementScratchOf(xs.length * nU);
  const slotOf = new Map<number, number>();
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j];
    let slot = slotOf.get(x);
    if (slot === undefined) {
      slot = slotOf.size;
      slotOf.set(x, slot);
      const lo = Math.max(x - 0.5 * q, dim.low);
      const hi = Math.min(x + 0.5 * q, dim.high);
      const base = slot * nU;
      for (let k = 0; k < nU; k++) {
        inc[base + k] = logGaussMass((lo - u.mus[k]) * u.invSigmas[k], (hi - u.mus[k]) * u.invSigmas[k]) - u.logMass[k];
      }
    }
    const row = j * nK;
    const base = slot * nU;
    for (let k = 0; k < nK; k++) acc[row + k] += inc[base + u.of[k]];
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

/** Exact log Σ exp(row[0..n)) by the max-shift trick. */
function logSumExp(row: Float64Array, n: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (row[k] > max) max = row[k];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const t = row[k] - max;
    if (t > LOG_SUM_CUTOFF) sum += Math.exp(t);
  }
  return max + Math.log(sum);
}

/**
 * One continuous dimension, fused into one pass per candidate. The shift is the bound
 * m = max_k (log w_k - log norm_k) ≥ every term (the Gaussian factor is ≤ 1), which saves the max pass; when the
 * true maximum lies more than SLACK below m the terms skipped by the cutoff could matter, so that candidate is
 * redone exactly.
 */
function logPdfContinuous1D(pe: ParzenEstimator, dim: NumericKernels, xs: Float64Array, out: Float64Array): void {
  const nK = pe.nKernels;
  const row = scratchOf(nK);
  const { mus, invSigmas } = dim;
  const base = incrementScratchOf(nK);
  let m = -Infinity;
  for (let k = 0; k < nK; k++) {
    base[k] = pe.logWeights[k] - dim.logNorm[k];
    if (base[k] > m) m = base[k];
  }
  const SLACK = 20;
  for (let j = 0; j < xs.length; j++) {
    const x = toTransformed(dim.distribution, xs[j]);
    let sum = 0;
    for (let k = 0; k < nK; k++) {
      const z = (x - mus[k]) * invSigmas[k];
      const t = base[k] - 0.5 * z * z - m;
      if (t > LOG_SUM_CUTOFF - SLACK) sum += Math.exp(t);
    }
    const lse = Math.log(sum);
    if (lse > -SLACK) {
      out[j] = m + lse;
      continue;
    }
    for (let k = 0; k < nK; k++) {
      const z = (x - mus[k]) * invSigmas[k];
      row[k] = base[k] - 0.5 * z * z;
    }
    out[j] = logSumExp(row, nK);
  }
}

/**
 * One stepped, integer or categorical dimension: candidates repeat few values, so the mixture's log mass is
 * computed once per distinct value (Optuna has the same shortcut for a lone categorical).
 */
function logPdfDiscrete1D(pe: ParzenEstimator, xs: Float64Array, out: Float64Array): void {
  const nK = pe.nKernels;
  const row = scratchOf(nK);
  const single = new Float64Array(1);
  const memo = new Map<number, number>();
  for (let j = 0; j < xs.length; j++) {
    let v = memo.get(xs[j]);
    if (v === undefined) {
      row.set(pe.logWeights);
      single[0] = xs[j];
      addDimension(pe.dims[0], single, row, nK);
      v = logSumExp(row, nK);
      memo.set(xs[j], v);
    }
    out[j] = v;
  }
}

function addDimension(dim: ParzenEstimator['dims'][number], xs: Float64Array, acc: Float64Array, nK: number): void {
  if (dim.kind === 'categorical') addCategorical(dim, xs, acc, nK);
  else if (dim.q === null) addContinuous(dim, xs, acc, nK);
  else addDiscrete(dim, dim.q, xs, acc, nK);
}

/**
 * Every dimension continuous: the same sums as the general path, in the same order, one candidate at a time, so
 * the terms sit in one row of K (in cache) rather than a candidates × K matrix that is written once per dimension.
 */
function logPdfContinuous(pe: ParzenEstimator, dims: readonly NumericKernels[], samples: readonly Float64Array[], out: Float64Array): void {
  const nK = pe.nKernels;
  const row = scratchOf(nK);
  for (let j = 0; j < out.length; j++) {
    row.set(pe.logWeights);
    for (let d = 0; d < dims.length; d++) {
      const { mus, invSigmas, logNorm } = dims[d];
      const x = toTransformed(dims[d].distribution, samples[d][j]);
      for (let k = 0; k < nK; k++) {
        const z = (x - mus[k]) * invSigmas[k];
        row[k] += -0.5 * z * z - logNorm[k];
      }
    }
    out[j] = logSumExp(row, nK);
  }
}

/**
 * log p(x) of each candidate under the mixture: log Σ_k w_k Π_d p_kd(x_d), by log-sum-exp over kernels.
 * `samples` is one array per dimension, as `sampleParzenEstimator` returns; results go into `out`.
 */
export function parzenLogPdf(pe: ParzenEstimator, samples: readonly Float64Array[], out: Float64Array): void {
  if (pe.dims.length === 1) {
    const dim = pe.dims[0];
    if (dim.kind === 'numeric' && dim.q === null) logPdfContinuous1D(pe, dim, samples[0], out);
    else logPdfDiscrete1D(pe, samples[0], out);
    return;
  }
  const m = out.length;
  const nK = pe.nKernels;
  if (pe.dims.every((d) => d.kind === 'numeric' && d.q === null)) {
    logPdfContinuous(pe, pe.dims as readonly NumericKernels[], samples, out);
    return;
  }
  const acc = scratchOf(m * nK);
  for (let j = 0; j < m; j++) acc.set(pe.logWeights, j * nK);
  pe.dims.forEach((dim, d) => addDimension(dim, samples[d], acc, nK));
  for (let j = 0; j < m; j++) out[j] = logSumExp(acc.subarray(j * nK, (j + 1) * nK), nK);
}
