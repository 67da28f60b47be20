/**
 * Maximin Latin-hypercube designs: n points in [0, 1)^d, each dimension cut into n equal strata with one point in
 * each (McKay, Beckman & Conover 1979), and of `N_CANDIDATES` seeded random such designs the one whose closest pair of
 * points is farthest apart (the maximin criterion, Morris & Mitchell 1995; scipy.stats.qmc.LatinHypercube gives the
 * random designs). A Halton sequence's first n points stratify only the dimensions of base ≤ n; a Latin hypercube
 * stratifies all of them, which matters for the 4–10 start-up trials of a small budget.
 */
import { ConfigError } from '../../errors.js';
import { Rng, hashString } from '../../util/rng.js';

/** Random Latin hypercubes drawn per design; the maximin one is kept. Cost: N·n²·d, instant for start-up sizes. */
export const N_CANDIDATES = 100;

const LHS_TAG = hashString('\u0000parzen:lhs');

/** One random Latin hypercube, row-major n × d: a seeded permutation of the strata per dimension, jittered within each stratum. */
function randomDesign(n: number, d: number, rng: Rng): Float64Array {
  const x = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const r = rng.int(i + 1);
      [perm[i], perm[r]] = [perm[r], perm[i]];
    }
    for (let i = 0; i < n; i++) x[i * d + j] = Math.min((perm[i] + rng.random()) / n, 1 - 2 ** -53);
  }
  return x;
}

/** The smallest squared Euclidean distance between two rows of an n × d design. */
export function minPairDistance2(x: Float64Array, n: number, d: number): number {
  let best = Infinity;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[a * d + j] - x[b * d + j]) ** 2;
      if (s < best) best = s;
    }
  }
  return best;
}

/**
 * Point `index` of a seeded sequence of maximin Latin hypercubes of `nPoints` each: points 0…n−1 are the first
 * design, n…2n−1 a second one, and so on, so a trial's point depends only on the seed and its number.
 * @example new MaximinLatinHypercube(3, 6, 42).point(0) // three coordinates in [0, 1)
 */
export class MaximinLatinHypercube {
  readonly #d: number;
  readonly #n: number;
  readonly #seed: number;
  readonly #designs = new Map<number, Float64Array>();

  constructor(nDimensions: number, nPoints: number, seed: number) {
    if (!Number.isSafeInteger(nDimensions) || nDimensions < 1) throw new ConfigError(`LHS: the search space has ${nDimensions} dimensions; a Latin hypercube needs at least 1`);
    if (!Number.isSafeInteger(nPoints) || nPoints < 1) throw new ConfigError(`LHS: nPoints must be an integer ≥ 1 (the start-up trials), got ${String(nPoints)}`);
    this.#d = nDimensions;
    this.#n = nPoints;
    this.#seed = seed;
  }

  get nDimensions(): number {
    return this.#d;
  }

  /** Coordinate `j` of point `index` (index ≥ 0). */
  coordinate(index: number, j: number): number {
    return this.#design(Math.floor(index / this.#n))[(index % this.#n) * this.#d + j];
  }

  point(index: number): Float64Array {
    if (!Number.isSafeInteger(index) || index < 0) throw new ConfigError(`LHS: point index must be a non-negative integer, got ${String(index)}`);
    return Float64Array.from({ length: this.#d }, (_, j) => this.coordinate(index, j));
  }

  #design(block: number): Float64Array {
    const cached = this.#designs.get(block);
    if (cached !== undefined) return cached;
    const rng = new Rng(this.#seed, block, LHS_TAG);
    let best = randomDesign(this.#n, this.#d, rng);
    let bestScore = minPairDistance2(best, this.#n, this.#d);
    for (let c = 1; c < N_CANDIDATES; c++) {
      const x = randomDesign(this.#n, this.#d, rng);
      const score = minPairDistance2(x, this.#n, this.#d);
      if (score > bestScore) [best, bestScore] = [x, score];
    }
    this.#designs.set(block, best);
    return best;
  }
}
