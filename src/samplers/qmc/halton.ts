/**
 * Scrambled Halton points (Halton 1960) with random digit permutations (Braaten & Weller 1979; the
 * "random permutation" scrambling of Owen's survey, as scipy.stats.qmc.Halton(scramble=True) does): dimension j
 * uses the j-th prime as its base, and digit k of every index goes through its own seeded permutation of
 * {0, …, b-1}. Unscrambled, base 2 gives the van der Corput sequence 0, 1/2, 1/4, 3/4, …
 */
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/rng.js';

/** The most dimensions a Halton sequence is built for here; beyond ~100 its projections degrade anyway. */
export const MAX_HALTON_DIMENSIONS = 256;

/** The first `n` primes (trial division; n ≤ MAX_HALTON_DIMENSIONS keeps this instant). */
export function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) {
    if (out.every((p) => p * p > c || c % p !== 0)) out.push(c);
  }
  return out;
}

/** Digits of base `b` needed so that b^-k is below double precision at 1: ⌈53·ln 2 / ln b⌉. */
function nDigits(b: number): number {
  return Math.ceil((53 * Math.LN2) / Math.log(b));
}

/** Identity permutations (no scrambling), or seeded random ones per dimension and digit. */
function digitPermutations(bases: readonly number[], seed: number | null): Uint16Array[][] {
  return bases.map((b, j) =>
    Array.from({ length: nDigits(b) }, (_, k) => {
      const perm = Uint16Array.from({ length: b }, (_, i) => i);
      if (seed === null) return perm;
      const rng = new Rng(seed, j, k);
      for (let i = b - 1; i > 0; i--) {
        const r = rng.int(i + 1);
        [perm[i], perm[r]] = [perm[r], perm[i]];
      }
      return perm;
    }),
  );
}

const BELOW_ONE = 1 - 2 ** -53;

/**
 * A Halton sequence over `nDimensions`, scrambled by `seed` (null: the plain sequence, whose point 0 is the
 * origin). `point(i)` is the i-th point, each coordinate in [0, 1); the same seed gives the same sequence.
 * @example new ScrambledHalton(3, 42).point(0) // three coordinates in [0, 1)
 */
export class ScrambledHalton {
  readonly #bases: number[];
  readonly #perms: Uint16Array[][];

  constructor(nDimensions: number, seed: number | null) {
    if (!Number.isSafeInteger(nDimensions) || nDimensions < 1 || nDimensions > MAX_HALTON_DIMENSIONS) {
      throw new ConfigError(`QMC: the search space has ${nDimensions} dimensions; quasi-random sampling supports 1–${MAX_HALTON_DIMENSIONS}`);
    }
    this.#bases = firstPrimes(nDimensions);
    this.#perms = digitPermutations(this.#bases, seed);
  }

  get nDimensions(): number {
    return this.#bases.length;
  }

  /** Coordinate `j` of point `index` (index ≥ 0): the digits of index in base b_j, permuted, read after the point. */
  coordinate(index: number, j: number): number {
    const b = this.#bases[j];
    const perms = this.#perms[j];
    let rest = index;
    let scale = 1 / b;
    let x = 0;
    for (let k = 0; k < perms.length; k++) {
      const digit = rest % b;
      rest = (rest - digit) / b;
      x += perms[k][digit] * scale;
      scale /= b;
    }
    return Math.min(x, BELOW_ONE);
  }

  point(index: number): Float64Array {
    if (!Number.isSafeInteger(index) || index < 0) throw new ConfigError(`QMC: point index must be a non-negative integer, got ${String(index)}`);
    return Float64Array.from(this.#bases, (_, j) => this.coordinate(index, j));
  }
}
