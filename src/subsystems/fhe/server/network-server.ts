/**
 * The training server for the poly-network (network.ts): it holds the owner's encrypted x̃ and z blocks and the
 * evaluation keys only (nothing from owner/), and runs one Nesterov iteration on the encrypted parameters U (every
 * unit's input weights) and v (output weights), both replicated in every row segment (ckks/network-packing.ts).
 *
 * Levels, from the state's level ℓ (every ciphertext of the state at ℓ, scale Δ):
 *   ℓ+1  t = Σ_F x̃⊙U, y·t = Σ_F z⊙U           (garbage between sub-segment starts, where U·(partial sums) lands)
 *   ℓ+2  y·h = t⊙(y·t) = y·t², v·t             (v is zero between sub-segment starts: v·t is clean)
 *   ℓ+3  y·o = Σ_units v⊙(y·h)                  (v masks y·h's garbage), summed into each segment's first slot
 *   ℓ+4  y·o/B masked to the segment start (the mask holds 1/B), copied back to each unit's first slot
 *   +sd  g = σ_p(−y·o), evaluated in u = y·o/B    (server/poly-eval.ts, sigmoid.ts reflectedInUnit; sd = sigmoidDepth)
 *   +1   G_v = Σ_rows g⊙γ(y·h);  E = g⊙(v·t), copied along each unit   (γ·(y·h) off the critical path)
 *   +2   G_U = Σ_rows E⊙2γz                      (2γz from z at level 0, encoded at the scale that lands G_U on Δ)
 *   +3   Nesterov mix: U ← (1−η)(U_v + G_U) + η U_w; v ← the same, masked to the unit starts (G_v carries garbage)
 * so an iteration uses 7 + sd levels (networkIterationDepth). Every product's scale is chosen so that additions meet
 * the same scale and the state returns to Δ; rotations sum over rows once, after the blocks are added.
 */
import type { CkksContext } from '../ckks/context.js';
import type { ServerKeys } from '../ckks/keys.js';
import { networkRotationSteps, segmentStartMask, unitStartMask, type NetworkPacking } from '../ckks/network-packing.js';
import { add, levelOf, modSwitchTo, multiply, multiplyPlain, rotateAndSum } from '../ckks/ops.js';
import { networkIterationDepth, sigmoidDepth } from '../ckks/params.js';
import { free, type CipherText } from '../ckks/seal.js';
import { reflectedInUnit } from '../sigmoid.js';
import { evalOddPolynomial } from './poly-eval.js';
import type { IterationInput } from './training-server.js';

/** Encrypted parameters: w_t and the look-ahead v_t of Nesterov for U and for v, all four at one level. */
export interface NetworkState {
  readonly uW: CipherText;
  readonly uV: CipherText;
  readonly vW: CipherText;
  readonly vV: CipherText;
}

export interface NetworkBlocks {
  /** x̃ rows. */
  readonly x: readonly CipherText[];
  /** z = y·x̃ rows. */
  readonly z: readonly CipherText[];
}

interface BlockForward {
  /** y·t² per unit (ℓ+2). */
  readonly yh: CipherText;
  /** v_k·t_k per unit (ℓ+2), clean. */
  readonly vt: CipherText;
  /** y·o/B at each unit's first slot (ℓ+4), clean. */
  readonly yo: CipherText;
}

/** Adds `next` into `sum` (either may be undefined at the start), freeing what it replaces. */
function accumulate(k: CkksContext, op: string, sum: CipherText | undefined, next: CipherText): CipherText {
  if (sum === undefined) return next;
  const out = add(k, op, sum, next);
  free(sum, next);
  return out;
}

/** The scale a factor must have at `level` so that (a at that level)·factor rescales to `target`. */
const factorScale = (k: CkksContext, a: CipherText, level: number, target: number): number => (target * k.chain[level].prime) / a.scale;

export class NetworkServer {
  readonly #k: CkksContext;
  readonly #keys: ServerKeys;
  readonly #blocks: NetworkBlocks;
  readonly #packing: NetworkPacking;

  /** `blocks` are the owner's encrypted packed rows; the server frees them in `delete`. */
  constructor(k: CkksContext, keys: ServerKeys, blocks: NetworkBlocks, p: NetworkPacking) {
    this.#k = k;
    this.#keys = keys;
    this.#blocks = blocks;
    this.#packing = p;
  }

  canIterate(state: NetworkState, sigmoidDegree: number): boolean {
    return levelOf(this.#k, state.uV) + networkIterationDepth(sigmoidDegree) <= this.#k.params.levels;
  }

  #forward(x: CipherText, z: CipherText, s: NetworkState, bound: number): BlockForward {
    const k = this.#k;
    const steps = networkRotationSteps(this.#packing);
    const { relinKeys: relin, galoisKeys: galois } = this.#keys;
    const level = levelOf(k, s.uV);
    const inner = (data: CipherText, op: string): CipherText => {
      const d = modSwitchTo(k, op, data, level);
      const products = multiply(k, op, d, s.uV, relin);
      const sums = rotateAndSum(k, `${op} sum along the unit`, products, steps.inUnit, galois);
      free(d, products);
      return sums;
    };
    const t = inner(x, 'hidden t = x̃·u');
    const yt = inner(z, 'hidden y·t = z·u');
    const yh = multiply(k, 'square activation y·t²', t, yt, relin);
    const v1 = modSwitchTo(k, 'v·t', s.vV, level + 1);
    const vt = multiply(k, 'v·t', v1, t, relin);
    free(t, yt, v1);
    const v2 = modSwitchTo(k, 'output v·(y·h)', s.vV, level + 2);
    const terms = multiply(k, 'output v·(y·h)', yh, v2, relin);
    const summed = rotateAndSum(k, 'output sum over units', terms, steps.overUnits, galois);
    const masked = multiplyPlain(k, 'output segment-start mask ÷ B', summed, segmentStartMask(this.#packing, 1 / bound), k.scale);
    const yo = rotateAndSum(k, 'output copied to the units', masked, steps.replicateOverUnits, galois);
    free(v2, terms, summed, masked);
    return { yh, vt, yo };
  }

  /** One iteration; returns the new state at networkIterationDepth levels further down. The caller frees the old. */
  iterate(s: NetworkState, input: IterationInput): NetworkState {
    const k = this.#k;
    const steps = networkRotationSteps(this.#packing);
    const { relinKeys: relin, galoisKeys: galois } = this.#keys;
    const sd = sigmoidDepth(input.sigmoid.length - 1);
    const polynomial = reflectedInUnit(input.sigmoid, input.bound);
    let gV: CipherText | undefined;
    let gU: CipherText | undefined;
    for (let b = 0; b < this.#blocks.x.length; b++) {
      const f = this.#forward(this.#blocks.x[b], this.#blocks.z[b], s, input.bound);
      const gLevel = levelOf(k, f.yo) + sd;
      // g = σ_p(−y·o) at scale Δ; γ·(y·h), two levels above g, is encoded so that g·γ(y·h) lands on Δ.
      const g = evalOddPolynomial(k, f.yo, polynomial, { targetScale: k.scale, relin });
      const yhScaled = multiplyPlain(k, 'γ·(y·h)', f.yh, input.gamma, factorScale(k, g, gLevel, k.scale));
      const yh = modSwitchTo(k, 'G_v = g·γ(y·h)', yhScaled, gLevel);
      yhScaled.delete();
      gV = accumulate(k, 'G_v sum over blocks', gV, multiply(k, 'G_v = g·γ(y·h)', g, yh, relin));
      const vt = modSwitchTo(k, 'E = g·v·t', f.vt, gLevel);
      const e = multiply(k, 'E = g·v·t', g, vt, relin);
      const eAlong = rotateAndSum(k, 'E copied along the unit', e, steps.replicateInUnit, galois);
      free(f.yh, f.vt, f.yo, g, yh, vt, e);
      const z2 = multiplyPlain(k, 'G_U factor 2γz', this.#blocks.z[b], 2 * input.gamma, factorScale(k, eAlong, gLevel + 1, k.scale));
      const z2At = modSwitchTo(k, 'G_U = E·2γz', z2, gLevel + 1);
      gU = accumulate(k, 'G_U sum over blocks', gU, multiply(k, 'G_U = E·2γz', eAlong, z2At, relin));
      free(eAlong, z2, z2At);
    }
    if (gV === undefined || gU === undefined) throw new RangeError('the server holds no encrypted rows');
    const gvRows = rotateAndSum(k, 'G_v sum over rows', gV, steps.overRows, galois);
    const guRows = rotateAndSum(k, 'G_U sum over rows', gU, steps.overRows, galois);
    free(gV, gU);
    const last = levelOf(k, guRows) + 1;
    const u = this.#nesterov({ look: s.uV, previous: s.uW, gradient: guRows, eta: input.eta, last, mask: undefined });
    const v = this.#nesterov({ look: s.vV, previous: s.vW, gradient: gvRows, eta: input.eta, last, mask: unitStartMask(this.#packing) });
    free(gvRows, guRows);
    return { uW: u.w, uV: u.v, vW: v.w, vV: v.v };
  }

  /**
   * w = look + G; v = (1−η)·w + η·previous, both returned at level `last`. A `mask` (the unit starts) multiplies
   * both momentum terms, so v holds no garbage that G carried; w keeps it (only its masked copy is read).
   */
  #nesterov(o: { look: CipherText; previous: CipherText; gradient: CipherText; eta: number; last: number; mask: Float64Array | undefined }): { w: CipherText; v: CipherText } {
    const k = this.#k;
    const factor = (c: number): number | Float64Array => (o.mask === undefined ? c : o.mask.map((m) => m * c));
    const look = modSwitchTo(k, 'w = v + G', o.look, levelOf(k, o.gradient));
    const wNext = add(k, 'w = v + G', look, o.gradient);
    look.delete();
    const mixed = multiplyPlain(k, 'momentum (1−η)·w', wNext, factor(1 - o.eta), k.scale);
    const mixedAt = modSwitchTo(k, 'momentum mix', mixed, o.last);
    const w = modSwitchTo(k, 'momentum mix', wNext, o.last);
    free(wNext, mixed);
    if (o.eta === 0) return { w, v: mixedAt };
    const previous = multiplyPlain(k, 'momentum η·w_prev', o.previous, factor(o.eta), k.scale);
    const previousAt = modSwitchTo(k, 'momentum mix', previous, o.last);
    const v = add(k, 'momentum mix', mixedAt, previousAt);
    free(mixedAt, previous, previousAt);
    return { w, v };
  }

  delete(): void {
    free(...this.#blocks.x, ...this.#blocks.z);
  }
}
