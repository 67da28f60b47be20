/**
 * Dense linear algebra for the GP sampler: row-major n×n Float64Arrays, no allocation beyond the results.
 * n is the number of finished trials (hundreds at most), so O(n³) Cholesky is the right tool.
 */

/**
 * Cholesky factorisation in place: A = L·Lᵀ with L in the lower triangle (the upper triangle is zeroed).
 * Returns false when A is not numerically positive definite (the caller adds jitter and retries).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/** Solves L·y = b for lower-triangular L (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * out[k];
    out[i] = s / l[ri + i];
  }
  return out;
}

/** Solves Lᵀ·x = y for lower-triangular L (back substitution). */
export function solveLowerTransposed(l: Float64Array, n: number, y: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

/** A⁻¹ from A's Cholesky factor L: A⁻¹ = L⁻ᵀ·L⁻¹, column by column. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    e.fill(0);
    e[c] = 1;
    solveLower(l, n, e, y);
    solveLowerTransposed(l, n, y, x);
    for (let r = 0; r < n; r++) inv[r * n + c] = x[r];
  }
  return inv;
}

/**
 * The lower triangle (diagonal included) of A⁻¹ from A's Cholesky factor L; the upper triangle is left 0. Column c
 * of L⁻¹ is zero above row c and the back substitution for column c reaches rows ≥ c first, so both solves stop
 * there: n³/3 multiply-adds instead of n³, and every entry equals inverseFromCholesky's bit for bit.
 */
export function lowerInverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Forward substitution L·y = e_c from row c on (y is 0 above it).
    for (let i = c; i < n; i++) {
      const ri = i * n;
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[ri + k] * y[k];
      y[i] = s / l[ri + i];
    }
    // Back substitution Lᵀ·x = y for rows n−1 … c, written straight into column c.
    for (let i = n - 1; i >= c; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * inv[k * n + c];
      inv[i * n + c] = s / l[i * n + i];
    }
  }
  return inv;
}
