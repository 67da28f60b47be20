/**
 * The second model: a one-hidden-layer network with the square activation (CryptoNets, Gilad-Bachrach et al. 2016)
 * and no output bias, trained by the same Nesterov schedule as the logistic model (nesterov.ts), in float64. This
 * is the plaintext twin of server/network-server.ts, with the same operations in the same order:
 *   t_k = u_k·x̃,  x̃ = (1, x)          (the bias input makes each unit an affine map before the square)
 *   y·o = Σ_k v_k · y t_k²            (yh_k = t_k · (u_k·z), z = y·x̃, so the label never leaves a ciphertext)
 *   g   = γ·σ_p(−y·o)                 (the least-squares polynomial sigmoid, γ folded in)
 *   ∂ log σ(y·o)/∂v_k = yh_k,  ∂/∂u_k = 2 v_k t_k z
 * Parameters are flattened as [u_1 … u_H (F values each), v_1 … v_H].
 */
import type { BinaryScores } from './metrics.js';
import { scoreProbabilities } from './metrics.js';
import { evalPolynomial, scaledReflected, type Polynomial } from './sigmoid.js';
import { Rng } from '../../util/rng.js';

export interface NetworkShape {
  readonly hidden: number;
  /** Inputs per unit: bias + features. */
  readonly inputs: number;
}

export const HIDDEN_WIDTHS = [2, 4] as const;
export type HiddenWidth = (typeof HIDDEN_WIDTHS)[number];

export const nParams = (s: NetworkShape): number => s.hidden * (s.inputs + 1);

/** Spread of the initial input weights (the bias weights start at 1, so each t_k starts near 1 and t² near linear). */
export const INIT_WEIGHT_STD = 0.1;

/** Magnitude of the initial output weights, alternating in sign: o = ½(t_1² − t_2²) + … ≈ (t_1 − t_2) + … starts as a linear score, so the first steps move the decision boundary (with v = 0 every t² ≥ 0 adds the same sign and only the bias learns). */
export const INIT_OUTPUT_WEIGHT = 0.5;

/** u_k = (1, N(0, INIT_WEIGHT_STD²)…), v_k = ±INIT_OUTPUT_WEIGHT, drawn from `seed`: both trainers start here. */
export function initialNetwork(s: NetworkShape, seed: number): Float64Array {
  const rng = new Rng(seed, 0x6e6e);
  const p = new Float64Array(nParams(s));
  for (let k = 0; k < s.hidden; k++) {
    p[k * s.inputs] = 1;
    for (let j = 1; j < s.inputs; j++) p[k * s.inputs + j] = INIT_WEIGHT_STD * rng.normal();
    p[s.hidden * s.inputs + k] = k % 2 === 0 ? INIT_OUTPUT_WEIGHT : -INIT_OUTPUT_WEIGHT;
  }
  return p;
}

/** Hidden pre-activations t_k = u_k·(1, x). */
function preActivations(s: NetworkShape, p: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const t = new Float64Array(s.hidden);
  for (let k = 0; k < s.hidden; k++) {
    let dot = p[k * s.inputs];
    for (let j = 1; j < s.inputs; j++) dot += p[k * s.inputs + j] * x[j - 1];
    t[k] = dot;
  }
  return t;
}

/** o = Σ_k v_k t_k². */
export function networkOutput(s: NetworkShape, p: ArrayLike<number>, x: ArrayLike<number>): number {
  const t = preActivations(s, p, x);
  const vAt = s.hidden * s.inputs;
  let o = 0;
  for (let k = 0; k < s.hidden; k++) o += p[vAt + k] * t[k] * t[k];
  return o;
}

export interface NetworkState {
  readonly w: Float64Array;
  readonly v: Float64Array;
}

/**
 * One plaintext iteration over signed rows z_i = y_i·(1, x_i) (nesterov.ts `signedRows`): t_k is recovered as
 * y_i·(u_k·z_i) here, where the encrypted side has x̃ and z both packed.
 */
export function plainNetworkIteration(s: NetworkShape, z: readonly Float64Array[], st: NetworkState, o: { sigmoid: Polynomial; gamma: number; eta: number }): NetworkState {
  const g = scaledReflected(o.sigmoid, o.gamma);
  const { hidden: h, inputs: f } = s;
  const vAt = h * f;
  const grad = new Float64Array(st.v.length);
  const t = new Float64Array(h);
  const yh = new Float64Array(h);
  for (const row of z) {
    const y = row[0];
    let yo = 0;
    for (let k = 0; k < h; k++) {
      let dot = 0;
      for (let j = 0; j < f; j++) dot += st.v[k * f + j] * row[j];
      t[k] = y * dot;
      yh[k] = t[k] * dot;
      yo += st.v[vAt + k] * yh[k];
    }
    const coef = evalPolynomial(g, yo);
    for (let k = 0; k < h; k++) {
      grad[vAt + k] += coef * yh[k];
      const e = coef * st.v[vAt + k] * t[k];
      for (let j = 0; j < f; j++) grad[k * f + j] += e * 2 * row[j];
    }
  }
  const w = Float64Array.from(st.v, (v, j) => v + grad[j]);
  const v = Float64Array.from(w, (wj, j) => (1 - o.eta) * wj + o.eta * st.w[j]);
  return { w, v };
}

export function networkProba(s: NetworkShape, p: ArrayLike<number>, x: readonly Float64Array[]): Float64Array {
  return Float64Array.from(x, (row) => 1 / (1 + Math.exp(-networkOutput(s, p, row))));
}

export function scoreNetwork(s: NetworkShape, p: ArrayLike<number>, x: readonly Float64Array[], y: Uint8Array): BinaryScores {
  return scoreProbabilities(networkProba(s, p, x), y);
}
