/**
 * CKKS operations with their preconditions checked before SEAL runs them: operands at the same level, scales
 * equal, a level left to rescale into. A mismatch is an FheError naming the operation, never an exception from
 * inside WebAssembly. Rescales are placed here, after every multiplication; plaintext constants are encoded at
 * the scale that lands the product exactly on the scale the caller asks for (the prime that is dropped is known),
 * so additions never meet scales that drifted apart. Every function returns a new ciphertext and frees its
 * temporaries; the caller owns (and deletes) inputs and outputs.
 */
import { FheError } from '../../../errors.js';
import type { CkksContext } from './context.js';
import { free, made, type CipherText, type GaloisKeys, type PlainText, type RelinKeys } from './seal.js';

/** Scales closer than this (relative) are the same scale up to floating-point rounding of Δ²/q. */
const SCALE_TOLERANCE = 1e-9;
/** A plaintext value must keep this many bits at its encoding scale (|c|·scale ≥ 2^bits), else it rounds away. */
export const MIN_ENCODED_BITS = 12;

/** The level of `ct` (0 = fresh) from the primes it still has. */
export function levelOf(k: CkksContext, ct: CipherText): number {
  return k.params.levels + 1 - ct.coeffModulusSize;
}

function requireRescalable(k: CkksContext, op: string, ct: CipherText): number {
  const level = levelOf(k, ct);
  if (level >= k.params.levels) {
    throw new FheError(`${op}: the ciphertext is at the last level (${level} of ${k.params.levels}); no prime is left to rescale by — refresh it first`, { code: 'FHE_LEVEL' });
  }
  return level;
}

function requireSameLevel(k: CkksContext, op: string, a: CipherText, b: CipherText): number {
  const la = levelOf(k, a);
  const lb = levelOf(k, b);
  if (la !== lb) throw new FheError(`${op}: operands at levels ${la} and ${lb}; mod-switch the shallower one first`, { code: 'FHE_LEVEL' });
  return la;
}

function sameScale(a: number, b: number): boolean {
  return Math.abs(a - b) <= SCALE_TOLERANCE * Math.max(a, b);
}

/** Encodes `values` (a constant or one value per slot) at `scale`, at the ciphertext's level. */
function encodeAt(k: CkksContext, values: number | Float64Array, scale: number, level: number): PlainText {
  const array = typeof values === 'number' ? new Float64Array(k.slots).fill(values) : values;
  const fresh = made(k.encoder.encode(array, scale), 'encode');
  if (level === 0) return fresh;
  const switched = made(k.evaluator.plainModSwitchTo(fresh, k.chain[level].parmsId), 'plainModSwitchTo');
  fresh.delete();
  return switched;
}

/** a·b, relinearised and rescaled: one level, scale a.s·b.s/q_level. */
export function multiply(k: CkksContext, op: string, a: CipherText, b: CipherText, relin: RelinKeys): CipherText {
  requireSameLevel(k, op, a, b);
  requireRescalable(k, op, a);
  const product = made(k.evaluator.multiply(a, b), 'multiply');
  const relinearised = made(k.evaluator.relinearize(product, relin), 'relinearize');
  product.delete();
  const out = made(k.evaluator.rescaleToNext(relinearised), 'rescaleToNext');
  relinearised.delete();
  return out;
}

/**
 * a·values, rescaled, landing exactly on `targetScale`: the plaintext is encoded at targetScale·q_level/a.s.
 * With targetScale = a.s a constant costs one level and leaves the scale unchanged.
 */
export function multiplyPlain(k: CkksContext, op: string, a: CipherText, values: number | Float64Array, targetScale: number): CipherText {
  const level = requireRescalable(k, op, a);
  if (typeof values === 'number' ? values === 0 : values.every((v) => v === 0)) {
    throw new FheError(`${op}: multiplying by an all-zero plaintext gives a transparent ciphertext (SEAL refuses it); drop the term instead`, { code: 'FHE_SCALE' });
  }
  const plainScale = (targetScale * k.chain[level].prime) / a.scale;
  if (!(plainScale >= 1) || !Number.isFinite(plainScale) || Math.log2(plainScale) > 2 * k.params.scaleBits) {
    throw new FheError(`${op}: plaintext scale 2^${Math.log2(plainScale).toFixed(1)} needed to reach 2^${Math.log2(targetScale).toFixed(1)} from 2^${Math.log2(a.scale).toFixed(1)} is out of range`, { code: 'FHE_SCALE' });
  }
  const largest = typeof values === 'number' ? Math.abs(values) : values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (largest * plainScale < 2 ** MIN_ENCODED_BITS) {
    throw new FheError(`${op}: the constant ${largest.toPrecision(3)} at plaintext scale 2^${Math.log2(plainScale).toFixed(1)} keeps fewer than ${MIN_ENCODED_BITS} bits (it would round to nothing); raise scale_bits or rescale the constant`, { code: 'FHE_SCALE' });
  }
  const plain = encodeAt(k, values, plainScale, level);
  const product = made(k.evaluator.multiplyPlain(a, plain), 'multiplyPlain');
  plain.delete();
  const out = made(k.evaluator.rescaleToNext(product), 'rescaleToNext');
  product.delete();
  return out;
}

/** a + b; same level, same scale (rounding differences of Δ²/q are aligned first). */
export function add(k: CkksContext, op: string, a: CipherText, b: CipherText): CipherText {
  requireSameLevel(k, op, a, b);
  if (!sameScale(a.scale, b.scale)) {
    throw new FheError(`${op}: scales 2^${Math.log2(a.scale).toFixed(4)} and 2^${Math.log2(b.scale).toFixed(4)} differ; encode the factors to a common target scale`, { code: 'FHE_SCALE' });
  }
  if (a.scale !== b.scale) b.setScale(a.scale);
  return made(k.evaluator.add(a, b), 'add');
}

/** a + values (encoded at a's scale and level). */
export function addPlain(k: CkksContext, op: string, a: CipherText, values: number | Float64Array): CipherText {
  const plain = encodeAt(k, values, a.scale, levelOf(k, a));
  const out = made(k.evaluator.addPlain(a, plain), 'addPlain');
  plain.delete();
  return out;
}

/** `a` moved down to `level` (a copy when it is there already); a deeper operand cannot move up. */
export function modSwitchTo(k: CkksContext, op: string, a: CipherText, level: number): CipherText {
  const from = levelOf(k, a);
  if (level < from || level > k.params.levels) throw new FheError(`${op}: cannot mod-switch from level ${from} to ${level}`, { code: 'FHE_LEVEL' });
  if (level === from) return a.clone();
  return made(k.evaluator.cipherModSwitchTo(a, k.chain[level].parmsId), 'cipherModSwitchTo');
}

/** Σ_s rot(a, s) accumulated over the steps in order (a rotate-and-add tree when steps are 1, 2, 4, …). */
export function rotateAndSum(k: CkksContext, op: string, a: CipherText, steps: readonly number[], galois: GaloisKeys): CipherText {
  let acc = a.clone();
  for (const step of steps) {
    const rotated = made(k.evaluator.rotateVector(acc, step, galois), 'rotateVector');
    const next = add(k, op, acc, rotated);
    free(rotated, acc);
    acc = next;
  }
  return acc;
}
