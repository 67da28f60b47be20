import { logGaussMass } from '../samplers/tpe/truncnorm.js';

/**
 * A one-dimensional Parzen estimator over grid points 0..n-1, built from how many trials fell on each point,
 * as PED-ANOVA uses it (Watanabe et al. 2023, §4.2): a discretised Gaussian kernel on each occupied point,
 * weighted by its count, with the bandwidth from Scott's rule (Scott 1992) rather than TPE's wider one, plus a
 * wide prior kernel of weight `priorWeight` that keeps the density positive everywhere. Categorical grids use
 * Optuna's categorical kernel (mass 1 on the observed choice, `priorWeight / nKernels` spread on all choices).
 * Returns the probability of each grid point (sums to 1).
 */
export function scottParzenPmf(counts: Float64Array, kind: 'numeric' | 'categorical', priorWeight: number): Float64Array {
  const occupied: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) occupied.push(i);
  const total = occupied.reduce((s, i) => s + counts[i], 0) + priorWeight;
  const pmf = new Float64Array(counts.length);
  const kernel = kind === 'numeric' ? numericKernel(counts, occupied) : categoricalKernel(counts.length, occupied.length + 1, priorWeight);
  occupied.forEach((cell, k) => addScaled(pmf, kernel(cell, k), counts[cell] / total));
  addScaled(pmf, kernel(-1, occupied.length), priorWeight / total);
  return pmf;
}

function addScaled(into: Float64Array, p: Float64Array, w: number): void {
  for (let i = 0; i < into.length; i++) into[i] += w * p[i];
}

/** cell -1 is the prior. */
type Kernel = (cell: number, index: number) => Float64Array;

function numericKernel(counts: Float64Array, occupied: readonly number[]): Kernel {
  const n = counts.length;
  const sigma = Math.max(scottSigma(counts, occupied), 0.5 / 1.64); // 1.64σ (90 %) still fits one grid cell
  return (cell) => (cell < 0 ? discreteGauss(n, (n - 1) / 2, n) : discreteGauss(n, cell, sigma));
}

/** Scott's rule with the robust spread min(σ̂, IQR / 1.34): σ = 1.059 · spread · n^(-1/5). */
function scottSigma(counts: Float64Array, occupied: readonly number[]): number {
  const n = occupied.reduce((s, i) => s + counts[i], 0);
  const mean = occupied.reduce((s, i) => s + i * counts[i], 0) / n;
  const sd = Math.sqrt(occupied.reduce((s, i) => s + (i - mean) ** 2 * counts[i], 0) / Math.max(1, n - 1));
  const iqr = quantileCell(counts, occupied, Math.floor((3 * n) / 4), true) - quantileCell(counts, occupied, Math.floor(n / 4), false);
  return 1.059 * Math.min(iqr / 1.34, sd) * n ** -0.2;
}

/** The occupied cell where the cumulative count first reaches `k` (`after`: first exceeds it). */
function quantileCell(counts: Float64Array, occupied: readonly number[], k: number, after: boolean): number {
  let cum = 0;
  for (const i of occupied) {
    cum += counts[i];
    if (after ? cum > k : cum >= k) return i;
  }
  return occupied[occupied.length - 1];
}

/** A Gaussian's mass on each cell [i - ½, i + ½], truncated to [-½, n - ½] and renormalised. */
function discreteGauss(n: number, mu: number, sigma: number): Float64Array {
  const out = new Float64Array(n);
  const logZ = logGaussMass((-0.5 - mu) / sigma, (n - 0.5 - mu) / sigma);
  for (let i = 0; i < n; i++) out[i] = Math.exp(logGaussMass((i - 0.5 - mu) / sigma, (i + 0.5 - mu) / sigma) - logZ);
  return out;
}

function categoricalKernel(nChoices: number, nKernels: number, priorWeight: number): Kernel {
  const spread = priorWeight / nKernels;
  return (cell) => {
    const p = new Float64Array(nChoices).fill(spread);
    if (cell >= 0) p[cell] += 1;
    const z = p.reduce((s, x) => s + x, 0);
    return p.map((x) => x / z);
  };
}
