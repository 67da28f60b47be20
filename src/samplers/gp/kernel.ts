/**
 * The Matérn-5/2 kernel with automatic relevance determination (Rasmussen & Williams 2006, eq. 4.17), over
 * points encoded in the unit cube: numeric dimensions contribute (x − y)², categorical ones the Hamming
 * distance [x ≠ y] (as Optuna 4's GPSampler does), each scaled by its inverse squared lengthscale.
 */

const SQRT5 = Math.sqrt(5);

export interface KernelParams {
  /** One per dimension: 1/ℓ². Larger means the objective changes faster along that dimension. */
  readonly inverseSquaredLengthscales: Float64Array;
  /** Signal variance σ_f². */
  readonly scale: number;
  /** Observation noise variance σ_n² (on the standardised values). */
  readonly noise: number;
}

/** Squared per-dimension distance: (x − y)² for numeric dimensions, 1 or 0 for categorical ones. */
export function dimensionDistance(x: number, y: number, categorical: boolean): number {
  if (categorical) return x === y ? 0 : 1;
  const d = x - y;
  return d * d;
}

/** r² = Σ_j (1/ℓ_j²)·δ_j(x, y) between row a of `xa` and row b of `xb` (both d columns). */
export function scaledDistance2(xa: Float64Array, a: number, xb: Float64Array, b: number, isCat: Uint8Array, invLs2: Float64Array): number {
  const d = invLs2.length;
  let r2 = 0;
  for (let j = 0; j < d; j++) r2 += invLs2[j] * dimensionDistance(xa[a * d + j], xb[b * d + j], isCat[j] === 1);
  return r2;
}

/** k(r) / σ_f² = (1 + √5·r + 5r²/3)·exp(−√5·r). */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** d k(r) / d(r²), divided by σ_f²: −(5/6)·(1 + √5·r)·exp(−√5·r). */
export function matern52DerivR2(r2: number): number {
  const r = Math.sqrt(r2);
  return (-5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** The n×n covariance K(X, X) + σ_n²·I of `x` (n rows of d columns). */
export function covariance(x: Float64Array, n: number, isCat: Uint8Array, p: KernelParams): Float64Array {
  const k = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    k[a * n + a] = p.scale + p.noise;
    for (let b = 0; b < a; b++) {
      const v = p.scale * matern52(scaledDistance2(x, a, x, b, isCat, p.inverseSquaredLengthscales));
      k[a * n + b] = v;
      k[b * n + a] = v;
    }
  }
  return k;
}
