/**
 * Nesterov accelerated gradient for logistic regression as Kim et al. 2018 (BMC Med Genomics 11:83, eq. 5–6)
 * run it on encrypted data, in float64: the schedule both the encrypted trainer and its plaintext twin follow.
 *   w_{t+1} = v_t + γ_t Σ_i σ_p(−z_i·v_t) z_i,    z_i = y_i·(1, x_i), y_i ∈ {−1, +1}
 *   v_{t+1} = (1 − η_t) w_{t+1} + η_t w_t,        η_t = (1 − λ_t)/λ_{t+1},  λ_{t+1} = (1 + √(1 + 4λ_t²))/2, λ_0 = 0
 * with σ_p the least-squares polynomial sigmoid, so the two runs differ only by CKKS's approximation error.
 */
import { evalPolynomial, scaledReflected, type Polynomial } from './sigmoid.js';

export type LrSchedule = 'constant' | 'decay';

/** The step size of iteration t (0-based): lr/n, or Kim et al.'s α_t = lr/(t+1) over n rows. */
export function stepSize(lr: number, schedule: LrSchedule, t: number, nRows: number): number {
  return (schedule === 'decay' ? lr / (t + 1) : lr) / nRows;
}

/** η_t of the momentum mix, for t = 0, 1, … */
export function momentumWeights(iterations: number): number[] {
  const eta: number[] = [];
  let lambda = 0;
  for (let t = 0; t < iterations; t++) {
    const next = (1 + Math.sqrt(1 + 4 * lambda * lambda)) / 2;
    const after = (1 + Math.sqrt(1 + 4 * next * next)) / 2;
    eta.push((1 - next) / after);
    lambda = next;
  }
  return eta;
}

export interface NesterovState {
  readonly w: Float64Array;
  readonly v: Float64Array;
}

/** z_i = y_i·(1, x_i) with y ∈ {−1, +1}: the rows both trainers pack. */
export function signedRows(x: readonly Float64Array[], y: Uint8Array): Float64Array[] {
  return x.map((row, i) => {
    const z = new Float64Array(row.length + 1);
    const s = y[i] === 1 ? 1 : -1;
    z[0] = s;
    for (let j = 0; j < row.length; j++) z[j + 1] = s * row[j];
    return z;
  });
}

/** One plaintext iteration with step γ and momentum η (same operation order as the encrypted one). */
export function plainIteration(z: readonly Float64Array[], s: NesterovState, o: { sigmoid: Polynomial; gamma: number; eta: number }): NesterovState {
  const g = scaledReflected(o.sigmoid, o.gamma);
  const d = s.v.length;
  const w = Float64Array.from(s.v);
  for (const row of z) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += row[j] * s.v[j];
    const coef = evalPolynomial(g, dot);
    for (let j = 0; j < d; j++) w[j] += coef * row[j];
  }
  const v = new Float64Array(d);
  for (let j = 0; j < d; j++) v[j] = (1 - o.eta) * w[j] + o.eta * s.w[j];
  return { w, v };
}
