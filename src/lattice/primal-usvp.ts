/**
 * The primal uSVP attack on LWE under the Geometric Series Assumption, costed with the core-SVP model.
 *
 * Model (Alkim–Ducas–Pöppelmann–Schwabe 2016, "Post-quantum key exchange — a new hope", §6; the "2016
 * estimate" of the Albrecht–Player–Scott LWE estimator): embed m LWE samples (A, b = As + e mod q) into a
 * lattice of dimension d = m + n + 1 (Bai–Galbraith embedding: the secret is part of the short vector).
 * BKZ with block size b finds the short vector when its projection on the last b Gram–Schmidt vectors is
 * shorter than the b-th-from-last GSA vector:
 *
 *     σ·√b ≤ δ(b)^(2b − d) · Vol^(1/d),   Vol = q^m · w^n,   δ(b) = ((πb)^(1/b) · b/(2πe))^(1/(2(b−1)))
 *
 * where w = σ/σ_s rescales the secret coordinates so that every coordinate of the target has standard
 * deviation σ (Bai–Galbraith 2014, "Lattice decoding attacks on binary LWE"). The attack costs one SVP call
 * in dimension b: 2^(0.292·b) classically (Becker–Ducas–Gama–Laarhoven 2016 sieving, log2 √(3/2) = 0.2925)
 * and 2^(0.265·b) quantumly (Laarhoven 2015, log2 √(13/9) = 0.2652).
 */
import { ConfigError } from '../errors.js';

/** Distribution of the LWE secret; `gaussian` means normal form (the secret follows the error). */
export type SecretDistribution = 'gaussian' | 'ternary' | 'binary';

/**
 * How the attack is costed. `core-svp` is ADPS16's single SVP call, 2^(0.292 b) (Kyber, NewHope);
 * `core-svp-log-b` adds log2 b, as the FrodoKEM specification's scripts (pqsec.py) do; `bkz-sieve` is the
 * full BKZ cost of the 2015–2018 LWE estimator that the Homomorphic Encryption Standard used: 8d SVP calls
 * of 2^(0.292 b + 16.4) each (Albrecht et al. 2018, "Homomorphic Encryption Security Standard", §5.1).
 */
export type SvpCostModel = 'core-svp' | 'core-svp-log-b' | 'bkz-sieve';

const COST_MODELS: readonly SvpCostModel[] = ['core-svp', 'core-svp-log-b', 'bkz-sieve'];

export interface LweParameters {
  /** LWE (ring) dimension; a positive integer. */
  readonly n: number;
  /** log2 of the modulus q; q must exceed 1, so logQ > 0. Need not be an integer (Kyber: log2 3329). */
  readonly logQ: number;
  /** Standard deviation of the error distribution. */
  readonly sigma: number;
  /** Secret distribution; defaults to `gaussian` (normal form, secret distributed as the error). */
  readonly secret?: SecretDistribution;
  /** Most LWE samples the attacker may use; defaults to 2n (an RLWE public key plus one ciphertext). */
  readonly m?: number;
  /** Defaults to `core-svp`. */
  readonly costModel?: SvpCostModel;
}

export interface LweEstimate {
  /** Smallest BKZ block size for which the attack succeeds (Infinity: the primal attack does not apply). */
  readonly blockSize: number;
  /** Embedding dimension d = m + n + 1 at the optimum. */
  readonly dimension: number;
  /** Samples m the optimal attack uses. */
  readonly samples: number;
  /** Root-Hermite factor δ(b) the attack needs. */
  readonly delta: number;
  /** log2 of the classical cost. */
  readonly classicalBits: number;
  /** log2 of the quantum cost. */
  readonly quantumBits: number;
  /** δ^d: the Hermite factor BKZ-b reaches on the embedding lattice. */
  readonly hermiteFactor: number;
}

/** Below this block size the δ(b) formula is no longer a sensible BKZ model (Chen's thesis, ADPS16). */
export const MIN_BLOCK_SIZE = 40;

const LOG2_SQRT_3_2 = Math.log2(Math.sqrt(3 / 2));
const LOG2_SQRT_13_9 = Math.log2(Math.sqrt(13 / 9));

/** Standard deviation of a secret coefficient under each secret distribution (`gaussian`: σ itself). */
export function secretStd(secret: SecretDistribution, sigma: number): number {
  switch (secret) {
    case 'gaussian':
      return sigma;
    case 'ternary':
      return Math.sqrt(2 / 3); // uniform on {−1, 0, 1}
    case 'binary':
      return 0.5; // uniform on {0, 1}, centred by the embedding's shift
  }
}

/**
 * Natural log of the root-Hermite factor of BKZ-b (Chen 2013, thesis; ADPS16 eq. in §6.1):
 * δ(b) = ((πb)^(1/b) · b/(2πe))^(1/(2(b−1))).
 */
export function logDeltaBkz(b: number): number {
  return (Math.log(Math.PI * b) / b + Math.log(b / (2 * Math.PI * Math.E))) / (2 * (b - 1));
}

/** δ(b), the root-Hermite factor of BKZ with block size b. */
export function deltaBkz(b: number): number {
  return Math.exp(logDeltaBkz(b));
}

interface Instance {
  readonly n: number;
  readonly lnQ: number;
  readonly lnSigma: number;
  /** ln w, the Bai–Galbraith rescaling of the secret coordinates. */
  readonly lnW: number;
  readonly mMax: number;
}

/** ln of the GSA right-hand side, δ^(2b−d)·(q^m w^n)^(1/d), with d = m + n + 1. */
function lnRhs(inst: Instance, b: number, lnDelta: number, m: number): number {
  const d = m + inst.n + 1;
  return (2 * b - d) * lnDelta + (m * inst.lnQ + inst.n * inst.lnW) / d;
}

/**
 * The best number of samples for block size b. As a function of d the log right-hand side is
 * 2b·lnδ − d·lnδ + ln q − C/d with C = (n+1)·ln q − n·ln w, concave for C > 0 with its maximum at
 * d* = √(C/lnδ); the integer neighbours of the clamped optimum and the two ends cover every case.
 */
function bestSamples(inst: Instance, b: number, lnDelta: number): { m: number; lnRhs: number } | undefined {
  const mMin = Math.max(1, b - inst.n - 1); // block size cannot exceed the dimension
  if (mMin > inst.mMax) return undefined;
  const c = (inst.n + 1) * inst.lnQ - inst.n * inst.lnW;
  const candidates = [mMin, inst.mMax];
  if (c > 0) {
    const mStar = Math.sqrt(c / lnDelta) - inst.n - 1;
    candidates.push(Math.floor(mStar), Math.ceil(mStar));
  }
  let best: { m: number; lnRhs: number } | undefined;
  for (const raw of candidates) {
    const m = Math.min(inst.mMax, Math.max(mMin, raw));
    const value = lnRhs(inst, b, lnDelta, m);
    if (best === undefined || value > best.lnRhs) best = { m, lnRhs: value };
  }
  return best;
}

function attackBits(b: number, d: number, perDim: number, model: SvpCostModel): number {
  switch (model) {
    case 'core-svp':
      return b * perDim;
    case 'core-svp-log-b':
      return b * perDim + Math.log2(b);
    case 'bkz-sieve':
      return b * perDim + 16.4 + Math.log2(8 * d);
  }
}

function requirePositive(field: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`estimateLwe: \`${field}\` must be a finite number > 0, got ${String(value)}; ${fix}`);
  }
}

function requirePositiveInteger(field: string, value: number, fix: string): void {
  requirePositive(field, value, fix);
  if (!Number.isInteger(value)) {
    throw new ConfigError(`estimateLwe: \`${field}\` must be an integer, got ${value}; ${fix}`);
  }
}

/** Whether BKZ-b succeeds with the best number of samples. */
function succeeds(inst: Instance, b: number): boolean {
  const lnDelta = logDeltaBkz(b);
  const best = bestSamples(inst, b, lnDelta);
  return best !== undefined && inst.lnSigma + 0.5 * Math.log(b) <= best.lnRhs;
}

/** Coarse stride for the block-size scan; the fine pass re-checks the stride before the first hit. */
const BLOCK_STRIDE = 16;

/**
 * The smallest block size that succeeds, as the reference scripts find it (scan b upwards, stop at the
 * first success), in two passes: a stride-16 scan, then every b in the stride before the first success.
 * Past the threshold success persists as b grows (δ(b) falls faster than √b rises), so the passes agree
 * with a full scan; tests/lattice/estimator-optimum-matches-brute-force.test.ts checks it.
 */
function smallestBlockSize(inst: Instance, dMax: number): number | undefined {
  let hi: number | undefined;
  for (let b = MIN_BLOCK_SIZE; b <= dMax; b += BLOCK_STRIDE) {
    if (succeeds(inst, b)) {
      hi = b;
      break;
    }
  }
  if (hi === undefined) {
    if (dMax >= MIN_BLOCK_SIZE && succeeds(inst, dMax)) hi = dMax;
    else return undefined;
  }
  for (let b = Math.max(MIN_BLOCK_SIZE, hi - BLOCK_STRIDE + 1); b < hi; b++) {
    if (succeeds(inst, b)) return b;
  }
  return hi;
}

/** Checks the parameters at the boundary; every message names the field and the fix. */
export function validateLweParameters(p: LweParameters): void {
  if (p === null || typeof p !== 'object') throw new ConfigError('estimateLwe: expected an object { n, logQ, sigma }');
  requirePositiveInteger('n', p.n, 'pass the LWE dimension, e.g. n: 1024');
  requirePositive('logQ', p.logQ, 'q must be > 1; pass log2 q, e.g. logQ: 27 for q = 2^27');
  requirePositive('sigma', p.sigma, 'pass the error standard deviation, e.g. sigma: 3.2');
  if (p.m !== undefined) requirePositiveInteger('m', p.m, 'pass the most samples the attacker gets, e.g. m: 2 * n');
  if (p.secret !== undefined && !['gaussian', 'ternary', 'binary'].includes(p.secret)) {
    throw new ConfigError(`estimateLwe: \`secret\` must be 'gaussian', 'ternary' or 'binary', got ${String(p.secret)}`);
  }
  if (p.costModel !== undefined && !COST_MODELS.includes(p.costModel)) {
    throw new ConfigError(`estimateLwe: \`costModel\` must be one of ${COST_MODELS.join(', ')}, got ${String(p.costModel)}`);
  }
}

/**
 * Estimates the cost of the primal uSVP attack on LWE(n, q, σ): the smallest BKZ block size that succeeds
 * under the ADPS16 condition, optimised over the number of samples m ≤ `m`, and its core-SVP cost.
 *
 * @example
 * // Kyber-512 (round 3): n = 512, q = 3329, centred binomial η = 3 so σ = √1.5, m ≤ 768 samples.
 * const e = estimateLwe({ n: 512, logQ: Math.log2(3329), sigma: Math.sqrt(1.5), m: 768 });
 * e.blockSize;      // ≈ 405
 * e.classicalBits;  // ≈ 118
 */
export function estimateLwe(p: LweParameters): LweEstimate {
  validateLweParameters(p);
  const secret = p.secret ?? 'gaussian';
  const costModel = p.costModel ?? 'core-svp';
  const inst: Instance = {
    n: p.n,
    lnQ: p.logQ * Math.LN2,
    lnSigma: Math.log(p.sigma),
    lnW: Math.log(p.sigma / secretStd(secret, p.sigma)),
    mMax: p.m ?? 2 * p.n,
  };
  const dMax = inst.n + inst.mMax + 1;
  const b = smallestBlockSize(inst, dMax);
  if (b !== undefined) {
    const lnDelta = logDeltaBkz(b);
    const best = bestSamples(inst, b, lnDelta);
    if (best !== undefined) {
      const d = best.m + inst.n + 1;
      return {
        blockSize: b,
        dimension: d,
        samples: best.m,
        delta: Math.exp(lnDelta),
        classicalBits: attackBits(b, d, LOG2_SQRT_3_2, costModel),
        quantumBits: attackBits(b, d, LOG2_SQRT_13_9, costModel),
        hermiteFactor: Math.exp(d * lnDelta),
      };
    }
  }
  // No block size up to the full dimension works: q is too small next to σ for a unique short vector.
  return {
    blockSize: Infinity,
    dimension: dMax,
    samples: inst.mMax,
    delta: 1,
    classicalBits: Infinity,
    quantumBits: Infinity,
    hermiteFactor: 1,
  };
}
