/**
 * The training server: holds the encrypted rows and evaluation keys only (it imports nothing from owner/), and
 * runs Nesterov iterations on encrypted weights (Kim et al. 2018, Algorithm 1): per block, z·v by one product and a
 * rotate-and-add along each row, the row-start mask, the polynomial sigmoid (γ folded into its coefficients),
 * g·z summed over rows and blocks by rotations, then w ← v + G and v ← (1−η)·w + η·w_prev.
 */
import type { CkksContext } from '../ckks/context.js';
import type { ServerKeys } from '../ckks/keys.js';
import { add, levelOf, modSwitchTo, multiply, multiplyPlain, rotateAndSum } from '../ckks/ops.js';
import { sigmoidDepth } from '../ckks/params.js';
import { rotationSteps, rowStartMask, type Packing } from '../ckks/packing.js';
import { free, type CipherText } from '../ckks/seal.js';
import { reflectedInUnit } from '../sigmoid.js';
import { evalOddPolynomial } from './poly-eval.js';

/** Encrypted weights: w_t and the look-ahead v_t, both replicated in every row segment, at the same level. */
export interface EncryptedState {
  readonly w: CipherText;
  readonly v: CipherText;
}

export interface IterationInput {
  /** The least-squares sigmoid p(t) fitted on [−bound, bound] (sigmoid.ts `fitSigmoid`). */
  readonly sigmoid: readonly number[];
  readonly bound: number;
  /** Step size γ_t (over the rows). */
  readonly gamma: number;
  readonly eta: number;
}

export class TrainingServer {
  readonly #k: CkksContext;
  readonly #keys: ServerKeys;
  readonly #blocks: readonly CipherText[];
  readonly #packing: Packing;
  readonly #mask: Float64Array;

  /** `blocks` are the owner's encrypted packed rows; the server frees them in `delete`. */
  constructor(k: CkksContext, keys: ServerKeys, blocks: readonly CipherText[], p: Packing) {
    this.#k = k;
    this.#keys = keys;
    this.#blocks = blocks;
    this.#packing = p;
    this.#mask = rowStartMask(p);
  }

  /** Whether `state` has the `depth` levels one more iteration needs (else the owner must refresh it). */
  canIterate(state: EncryptedState, depth: number): boolean {
    return levelOf(this.#k, state.v) + depth <= this.#k.params.levels;
  }

  /**
   * Σ_i γ σ_p(−z_i·v) z_i over one block, replicated in every row segment, scale Δ. The row-start mask also divides
   * by B, so the sigmoid is evaluated in u = z·v/B (sigmoid.ts `reflectedInUnit`); γ goes on z, which sits at level 0
   * with levels to spare.
   */
  #blockGradient(block: CipherText, v: CipherText, input: IterationInput): CipherText {
    const k = this.#k;
    const steps = rotationSteps(this.#packing);
    const { relinKeys: relin, galoisKeys: galois } = this.#keys;
    const z = modSwitchTo(k, 'z·v', block, levelOf(k, v));
    const products = multiply(k, 'z·v', z, v, relin);
    const rowSums = rotateAndSum(k, 'z·v row sum', products, steps.rowSum, galois);
    const masked = multiplyPlain(k, 'row-start mask ÷ B', rowSums, this.#mask.map((m) => m / input.bound), k.scale);
    const t = rotateAndSum(k, 'z·v replicate', masked, steps.replicate, galois);
    free(z, products, rowSums, masked);
    const gLevel = levelOf(k, t) + sigmoidDepth(input.sigmoid.length - 1);
    // g's scale is q_gLevel so that g·γz (γz at Δ) rescales back to exactly Δ.
    const g = evalOddPolynomial(k, t, reflectedInUnit(input.sigmoid, input.bound), { targetScale: k.chain[gLevel].prime, relin });
    const scaled = multiplyPlain(k, 'γ·z', block, input.gamma, k.scale);
    const zg = modSwitchTo(k, 'g·γz', scaled, gLevel);
    const perRow = multiply(k, 'g·γz', g, zg, relin);
    const total = rotateAndSum(k, 'g·z sum over rows', perRow, steps.blockSum, galois);
    free(t, g, scaled, zg, perRow);
    return total;
  }

  /** One iteration; returns the new state at depth levels further down. The caller frees the old state. */
  iterate(state: EncryptedState, input: IterationInput): EncryptedState {
    const k = this.#k;
    let gradient: CipherText | undefined;
    for (const block of this.#blocks) {
      const g = this.#blockGradient(block, state.v, input);
      if (gradient === undefined) gradient = g;
      else {
        const sum = add(k, 'gradient sum over blocks', gradient, g);
        free(gradient, g);
        gradient = sum;
      }
    }
    if (gradient === undefined) throw new RangeError('the server holds no encrypted rows');
    const vAligned = modSwitchTo(k, 'w = v + G', state.v, levelOf(k, gradient));
    const wNext = add(k, 'w = v + G', vAligned, gradient);
    free(vAligned, gradient);
    const mixed = multiplyPlain(k, 'momentum (1−η)·w', wNext, 1 - input.eta, k.scale);
    const w = modSwitchTo(k, 'momentum mix', wNext, levelOf(k, mixed));
    wNext.delete();
    // η_0 = 0: the first look-ahead is w itself (a zero plaintext product would be transparent).
    if (input.eta === 0) return { w, v: mixed };
    const previous = multiplyPlain(k, 'momentum η·w_prev', state.w, input.eta, k.scale);
    const previousAligned = modSwitchTo(k, 'momentum mix', previous, levelOf(k, mixed));
    const vNext = add(k, 'momentum mix', mixed, previousAligned);
    free(mixed, previous, previousAligned);
    return { w, v: vNext };
  }

  delete(): void {
    free(...this.#blocks);
  }
}
