/**
 * Least-squares polynomial approximations of the logistic sigmoid on [-B, B] (Kim et al. 2018, BMC Med Genomics
 * 11:83, §"Polynomial approximation"): σ(u) − ½ is odd, so σ(u) ≈ ½ + Σ_{k odd ≤ d} a_k u^k, fitted on a uniform
 * grid by the normal equations in x = u/B (well conditioned for d ≤ 7) and mapped back by a_k = b_k / B^k.
 */

export const SIGMOID_DEGREES = [3, 5, 7] as const;
export type SigmoidDegree = (typeof SIGMOID_DEGREES)[number];

/** Coefficients c[k] of u^k, k = 0..d (even k > 0 are zero). */
export type Polynomial = readonly number[];

const GRID = 2001;

/** Solves A x = b (small, symmetric positive definite) by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * The degree-d least-squares sigmoid on [-bound, bound].
 * @example fitSigmoid(3, 8) // ≈ [0.5, 0.1527, 0, -0.0012] (u ∈ [-8, 8])
 */
export function fitSigmoid(degree: number, bound: number): Polynomial {
  const odd = Array.from({ length: (degree + 1) / 2 }, (_, i) => 2 * i + 1);
  const ata = odd.map(() => new Array<number>(odd.length).fill(0));
  const atb = new Array<number>(odd.length).fill(0);
  for (let g = 0; g < GRID; g++) {
    const x = -1 + (2 * g) / (GRID - 1);
    const target = 1 / (1 + Math.exp(-x * bound)) - 0.5;
    const basis = odd.map((k) => x ** k);
    for (let i = 0; i < odd.length; i++) {
      atb[i] += basis[i] * target;
      for (let j = 0; j < odd.length; j++) ata[i][j] += basis[i] * basis[j];
    }
  }
  const b = solve(ata, atb);
  const c = new Array<number>(degree + 1).fill(0);
  c[0] = 0.5;
  odd.forEach((k, i) => (c[k] = b[i] / bound ** k));
  return c;
}

/** p(u) by Horner's rule. */
export function evalPolynomial(c: Polynomial, u: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * u + c[k];
  return s;
}

/**
 * Coefficients of u ↦ p(−B·u), the reflected sigmoid in the unit variable u = t/B: all of order 1, so each encodes
 * precisely at the scale Δ (the raw a_k·γ of a degree-7 fit on [−12, 12] is ~1e-12 and rounds to nothing at 2^32).
 * The encrypted trainers divide t by B in the mask they apply anyway and put γ on the data side.
 */
export function reflectedInUnit(c: Polynomial, bound: number): Polynomial {
  return c.map((v, k) => (k % 2 === 1 ? -v : v) * bound ** k);
}

/** Coefficients of γ·σ(−u) ≈ γ·p(−u): the sign of each odd term flips. What the float64 twins evaluate. */
export function scaledReflected(c: Polynomial, gamma: number): Polynomial {
  return c.map((v, k) => gamma * (k % 2 === 1 ? -v : v));
}
