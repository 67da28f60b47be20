/**
 * The noise side of the parameter search: how many bits each level of a CKKS-style modulus chain needs to
 * keep a target precision through a circuit, and how wide the error distribution can be for free.
 *
 * Bounds from Cheon–Kim–Kim–Song 2017 ("Homomorphic encryption for arithmetic of approximate numbers",
 * Lemma 1 and Lemma 2), with a ternary secret of expected Hamming weight h = 2n/3:
 *   fresh encryption noise  B_clean = 8√2·σ·n + 6σ·√n + 16σ·√(h·n)
 *   rescaling noise         B_scale = √(n/3)·(3 + 8√h)
 * The relative error of a product is the sum of its factors' relative errors (first order), so each
 * multiplicative level costs one bit of precision; independent errors of the circuit's multiplications add in
 * root-sum-square, ½·log2(nMults + 1) bits. The scale Δ must hold the noise plus the target precision.
 */

/** Bits of precision the decrypted outputs keep (fractional bits after the last rescale). */
export const PRECISION_BITS = 12;
/** Bits for the integer part of the messages; the base prime q0 holds Δ plus these. */
export const MESSAGE_INTEGER_BITS = 20;
/** The HE standard's error width (Albrecht et al. 2018): every σ the search picks is at least this. */
export const BASE_SIGMA = 3.2;
/** σ candidates: BASE_SIGMA · 2^(k/8), k = 0..8 (3.2 … 6.4), rounded to 0.01. */
export const SIGMA_LADDER: readonly number[] = Array.from({ length: 9 }, (_, k) =>
  Math.round(BASE_SIGMA * 2 ** (k / 8) * 100) / 100,
);

/** log2 of the fresh-encryption plus rescaling noise bound for ring dimension n and error width σ. */
export function log2NoiseBound(n: number, sigma: number): number {
  const h = (2 * n) / 3;
  const clean = 8 * Math.SQRT2 * sigma * n + 6 * sigma * Math.sqrt(n) + 16 * sigma * Math.sqrt(h * n);
  const scale = Math.sqrt(n / 3) * (3 + 8 * Math.sqrt(h));
  return Math.log2(clean + scale);
}

/** Bits lost to the circuit: one per multiplicative level plus the root-sum-square of its products. */
export function growthBits(multDepth: number, nMults: number): number {
  return multDepth + 0.5 * Math.log2(nMults + 1);
}

/** Bits the scale Δ needs (real-valued, before rounding to a whole prime size). */
export function requiredScaleBits(n: number, sigma: number, multDepth: number, nMults: number): number {
  return PRECISION_BITS + log2NoiseBound(n, sigma) + growthBits(multDepth, nMults);
}

export interface ModulusChain {
  /** Bits of each rescaling prime, Δ. */
  readonly scaleBits: number;
  /** Bits of the base prime q0 = Δ + MESSAGE_INTEGER_BITS. */
  readonly baseBits: number;
  /** Bits of the key-switching special prime P (as large as the largest prime of the chain). */
  readonly specialBits: number;
  /** log2 of P·Q, the modulus the RLWE key must be secure for: P + q0 + depth·Δ. */
  readonly logQ: number;
}

/**
 * The modulus chain for a circuit of depth `multDepth` at ring dimension n with σ = BASE_SIGMA:
 * logQ = P + q0 + depth·Δ, primes rounded up to whole bits.
 */
export function modulusChain(n: number, multDepth: number, nMults: number): ModulusChain {
  const scaleBits = Math.ceil(requiredScaleBits(n, BASE_SIGMA, multDepth, nMults));
  const baseBits = scaleBits + MESSAGE_INTEGER_BITS;
  const specialBits = baseBits;
  return { scaleBits, baseBits, specialBits, logQ: specialBits + baseBits + multDepth * scaleBits };
}

/**
 * The widest σ on the ladder whose noise still fits the chain's whole-bit scale: the rounding of Δ up to an
 * integer leaves slack, and spending it on a wider error distribution buys hardness at no cost in size or
 * precision (a wider σ only makes the RLWE instance harder, so the HE standard's σ = 3.2 stays a floor).
 */
export function widestSigma(n: number, chain: ModulusChain, multDepth: number, nMults: number): number {
  let best = BASE_SIGMA;
  for (const sigma of SIGMA_LADDER) {
    if (requiredScaleBits(n, sigma, multDepth, nMults) <= chain.scaleBits) best = sigma;
  }
  return best;
}
