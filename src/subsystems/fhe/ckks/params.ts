import { ConfigError } from '../../../errors.js';

/**
 * CKKS parameters derived from the model's multiplicative depth, checked against SEAL's 128-bit limits.
 * The chain is q0 · q1…qL · P: L rescaling primes of `scaleBits` (one per multiplicative level), a base prime q0
 * with `INTEGER_BITS` of headroom over the scale for the integer part of the last level's values, and a
 * key-switching special prime P as large as q0 (SEAL uses the last prime of the chain as P).
 */

/** Headroom of q0 over Δ: values at the last level must stay below 2^(INTEGER_BITS-1) in magnitude. */
export const INTEGER_BITS = 10;
/** SEAL's prime generator needs primes of at most 60 bits. */
export const MAX_PRIME_BITS = 60;

/**
 * `CoeffModulus.MaxBitCount(N, tc128)` of SEAL 4.x (the HE standard's table, Albrecht et al. 2018), kept here so
 * a config is validated without loading node-seal; the engine checks it against the library at start.
 */
export const MAX_BIT_COUNT_128: Readonly<Record<number, number>> = { 1024: 27, 2048: 54, 4096: 109, 8192: 218, 16384: 438, 32768: 881 };

export const POLY_MODULUS_DEGREES: readonly number[] = Object.keys(MAX_BIT_COUNT_128).map(Number).filter((n) => n >= 4096);

export interface CkksParams {
  readonly polyModulusDegree: number;
  readonly scaleBits: number;
  /** Bit sizes given to `CoeffModulus.Create`: q0, the L rescaling primes, then P. */
  readonly coeffModulusBits: readonly number[];
  /** Rescales the chain allows: L, a multiple of depthPerIteration. */
  readonly levels: number;
  /** Levels one training iteration consumes. */
  readonly depthPerIteration: number;
  /** Iterations between two refreshes: floor(L / depthPerIteration). */
  readonly iterationsPerRefresh: number;
  readonly totalBits: number;
  readonly maxBits: number;
}

export interface DeriveOptions {
  readonly polyModulusDegree: number;
  readonly scaleBits: number;
  readonly depthPerIteration: number;
  /** SEAL's limit for N (the library's `CoeffModulus.MaxBitCount`); defaults to the table above. */
  readonly maxBitCount?: (n: number) => number;
}

function fail(key: string, problem: string): ConfigError {
  return new ConfigError(`${key}: ${problem}; fix it in tuning.config.ts (subsystems.fhe) or the baseline config`);
}

/**
 * The chain of Δ-bit primes for as many whole iterations of `depthPerIteration` levels as SEAL allows at 128-bit
 * security for N, or a ConfigError naming the parameter when it is over the limit or too short for one iteration.
 * @example deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 40, depthPerIteration: 6 }).levels // 6 (8 fit)
 */
export function deriveCkksParams(o: DeriveOptions): CkksParams {
  const n = o.polyModulusDegree;
  const table = MAX_BIT_COUNT_128[n];
  if (table === undefined || n < 4096) throw fail('poly_modulus_degree', `expected one of ${POLY_MODULUS_DEGREES.join(', ')}, got ${JSON.stringify(n)}`);
  if (!Number.isInteger(o.scaleBits) || o.scaleBits < 20 || o.scaleBits + INTEGER_BITS > MAX_PRIME_BITS) {
    throw fail('scale_bits', `expected an integer in [20, ${MAX_PRIME_BITS - INTEGER_BITS}] (q0 = scale_bits + ${INTEGER_BITS} must be a prime of at most ${MAX_PRIME_BITS} bits), got ${JSON.stringify(o.scaleBits)}`);
  }
  const maxBits = o.maxBitCount?.(n) ?? table;
  const baseBits = o.scaleBits + INTEGER_BITS;
  const maxLevels = Math.floor((maxBits - 2 * baseBits) / o.scaleBits);
  if (maxLevels < o.depthPerIteration) {
    throw fail(
      'poly_modulus_degree',
      `N=${n} allows ${maxBits} coefficient-modulus bits at 128-bit security, a chain of ${Math.max(maxLevels, 0)} levels of ${o.scaleBits} bits, ` +
        `too short for one iteration (depth ${o.depthPerIteration}); raise poly_modulus_degree, lower scale_bits or sigmoid_degree (the poly-network needs 3 levels more than logistic)`,
    );
  }
  // Whole iterations only: levels past a multiple of the depth could never be used before a refresh, and every
  // prime costs time in each operation and size in each key.
  const levels = Math.floor(maxLevels / o.depthPerIteration) * o.depthPerIteration;
  const coeffModulusBits = [baseBits, ...Array.from({ length: levels }, () => o.scaleBits), baseBits];
  const totalBits = coeffModulusBits.reduce((a, b) => a + b, 0);
  if (totalBits > maxBits) throw fail('scale_bits', `the chain needs ${totalBits} bits, over SEAL's 128-bit limit of ${maxBits} for N=${n}`);
  return {
    polyModulusDegree: n,
    scaleBits: o.scaleBits,
    coeffModulusBits,
    levels,
    depthPerIteration: o.depthPerIteration,
    iterationsPerRefresh: Math.floor(levels / o.depthPerIteration),
    totalBits,
    maxBits,
  };
}

/** Multiplicative depth of the odd polynomial sigmoid of `degree` as server/poly-eval.ts evaluates it. */
export function sigmoidDepth(degree: number): number {
  return 1 + Math.ceil(Math.log2(degree - 1));
}

/**
 * Depth of one Nesterov iteration: z·v (1), the row-start mask (1), the sigmoid, g·z (1), the momentum mix (1).
 */
export function iterationDepth(sigmoidDegree: number): number {
  return 4 + sigmoidDepth(sigmoidDegree);
}

/** WebAssembly memory caps at 4 GiB; the Galois keys must leave room for the rows, the context and the work. */
export const GALOIS_KEY_BUDGET_BYTES = 2.5 * 2 ** 30;

/**
 * Bytes of SEAL's Galois keys for `nRotations` steps: each is a key-switching key of (L+1) ciphertexts (one per data
 * prime), each 2 polynomials over the L+2 primes of the key level, N 8-byte coefficients per prime.
 */
export function galoisKeyBytes(p: CkksParams, nRotations: number): number {
  return nRotations * (p.levels + 1) * 2 * (p.levels + 2) * p.polyModulusDegree * 8;
}

/** A ConfigError naming poly_modulus_degree when the keys for `nRotations` would not fit the WebAssembly heap. */
export function checkKeyMemory(p: CkksParams, nRotations: number): void {
  const bytes = galoisKeyBytes(p, nRotations);
  if (bytes > GALOIS_KEY_BUDGET_BYTES) {
    throw fail(
      'poly_modulus_degree',
      `N=${p.polyModulusDegree} with ${p.levels} levels needs ${(bytes / 2 ** 30).toFixed(1)} GiB of Galois keys for ${nRotations} rotations, ` +
        `over the ${GALOIS_KEY_BUDGET_BYTES / 2 ** 30} GiB this WebAssembly heap (4 GiB at most) can spare; use 16384 or raise scale_bits (fewer levels)`,
    );
  }
}

/**
 * Depth of one poly-network iteration (server/network-server.ts): x̃·u (1), the square (1), v·(y·h) (1), the
 * segment-start mask (1), the sigmoid, g·(v·t) (1), ·2z (1), the momentum mix (1).
 */
export function networkIterationDepth(sigmoidDegree: number): number {
  return 7 + sigmoidDepth(sigmoidDegree);
}
