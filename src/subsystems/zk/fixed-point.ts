/**
 * Fixed-point numbers as the circuit sees them: a real r is the integer round(r·2^F), held as a BigInt, and must lie
 * in [-2^VB, 2^VB). Field elements are the same integers modulo the BN254 scalar field prime (negative ones wrap).
 */
import { InvalidModelStateError } from './errors.js';

export interface FixedFormat {
  readonly fracBits: number;
  readonly valueBits: number;
}

/** round(x·2^F) as a BigInt; InvalidModelStateError naming `field` when x is NaN, infinite or out of range. */
export function toFixed(x: number, f: FixedFormat, field: string): bigint {
  if (!Number.isFinite(x)) throw new InvalidModelStateError(field, `${x} cannot be proved (the circuit holds finite fixed-point values only)`);
  const v = BigInt(Math.round(x * 2 ** f.fracBits));
  checkRange(v, f, field);
  return v;
}

/** Throws InvalidModelStateError when v is outside [-2^VB, 2^VB). */
export function checkRange(v: bigint, f: FixedFormat, field: string): void {
  const bound = 1n << BigInt(f.valueBits);
  if (v < -bound || v >= bound) {
    const limit = 2 ** (f.valueBits - f.fracBits);
    throw new InvalidModelStateError(field, `${fromFixed(v, f)} is outside the fixed-point range [-${limit}, ${limit}) of the circuit (${f.fracBits} fractional bits); lower the learning rate or standardise the data`);
  }
}

export function fromFixed(v: bigint, f: FixedFormat): number {
  return Number(v) / 2 ** f.fracBits;
}

/** v mod p in [0, p). */
export function toField(v: bigint, p: bigint): bigint {
  const r = v % p;
  return r < 0n ? r + p : r;
}

/** The signed integer a field element stands for (values above p/2 are negative). */
export function fromField(e: bigint, p: bigint): bigint {
  return e > p / 2n ? e - p : e;
}

export function ceilLog2(n: number): number {
  let r = 0;
  while (2 ** r < n) r++;
  return r;
}

/**
 * floor(v / 2^k) as the circuit's SignedShift(k, m) proves it (BigInt's `>>` is a floor division); an
 * InvalidModelStateError naming `field` when v leaves [-2^m, 2^m), where the circuit could not prove it either.
 */
export function floorShift(v: bigint, k: number, m: number, field: string): bigint {
  const bound = 1n << BigInt(m);
  if (v < -bound || v >= bound) throw new InvalidModelStateError(field, `intermediate ${v} overflows the circuit's ${m + 1}-bit range; lower the learning rate or standardise the data`);
  return v >> BigInt(k);
}
