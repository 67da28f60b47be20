/**
 * The parameter search that labels the optimizer's circuits: the smallest RLWE (CKKS-style, ternary secret)
 * parameters that evaluate a circuit of the given multiplicative depth and size at the target classical
 * security under the primal uSVP estimate. See docs/estimator.md for the model.
 */
import { ConfigError } from '../errors.js';
import { BASE_SIGMA, modulusChain, widestSigma, type ModulusChain } from './ckks-noise.js';
import { estimateLwe, type LweEstimate } from './primal-usvp.js';
import { proofSizeBytes } from './proof-size.js';

export interface CircuitShape {
  /** Multiplicative depth: ciphertext multiplications on the longest path (an integer ≥ 0). */
  readonly multDepth: number;
  /** Nodes (gates and inputs) of the circuit (an integer ≥ 1). */
  readonly nNodes: number;
  /** Ciphertext multiplications in the circuit (an integer ≥ multDepth). */
  readonly nMults: number;
  /** Classical security target in bits; default 128. */
  readonly targetBits?: number;
}

export interface LatticeParameters {
  /** Ring dimension, a power of two ≥ 1024. */
  readonly n: number;
  /** log2 of the full modulus P·Q (special prime included), in whole bits. */
  readonly logQ: number;
  /** Error standard deviation, ≥ 3.2. */
  readonly sigma: number;
  /** Classical core-SVP bits of the primal attack on these parameters (≥ targetBits). */
  readonly bitSecurity: number;
  /** Root-Hermite factor δ the cheapest primal attack needs (smaller is harder). */
  readonly hardness: number;
  /** Modelled size in bytes of a proof of correct evaluation (see proof-size.ts). */
  readonly proofSize: number;
}

/** Smallest ring dimension the search considers. */
export const MIN_RING_DIMENSION = 1024;
/** Largest ring dimension the search considers (2^17). */
export const MAX_RING_DIMENSION = 131072;

interface CoreParameters {
  readonly n: number;
  readonly chain: ModulusChain;
  readonly sigma: number;
  readonly estimate: LweEstimate;
}

// The estimate's inner optimisation is the cost; circuits share (depth, nMults, slot floor, target).
const coreCache = new Map<string, CoreParameters>();
const estimateCache = new Map<string, LweEstimate>();

function cachedEstimate(n: number, logQ: number, sigma: number): LweEstimate {
  const key = `${n}|${logQ}|${sigma}`;
  let e = estimateCache.get(key);
  if (e === undefined) {
    e = estimateLwe({ n, logQ, sigma, secret: 'ternary', m: 2 * n });
    estimateCache.set(key, e);
  }
  return e;
}

function requireInteger(field: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`searchParameters: \`${field}\` must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

function validateShape(shape: CircuitShape): number {
  if (shape === null || typeof shape !== 'object') {
    throw new ConfigError('searchParameters: expected an object { multDepth, nNodes, nMults, targetBits? }');
  }
  requireInteger('multDepth', shape.multDepth, 0);
  requireInteger('nNodes', shape.nNodes, 1);
  requireInteger('nMults', shape.nMults, 0);
  if (shape.nMults < shape.multDepth) {
    throw new ConfigError(
      `searchParameters: \`nMults\` (${shape.nMults}) is below \`multDepth\` (${shape.multDepth}); ` +
        'every multiplicative level needs a multiplication, so pass the circuit’s true counts',
    );
  }
  const target = shape.targetBits ?? 128;
  if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0) {
    throw new ConfigError(`searchParameters: \`targetBits\` must be a finite number > 0, got ${String(target)}`);
  }
  return target;
}

/** Smallest power of two ≥ x. */
function nextPowerOfTwo(x: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, x)));
}

/** Walks n up by powers of two until the chain the circuit needs at that n reaches the target. */
function searchCore(multDepth: number, nMults: number, nFloor: number, target: number): CoreParameters {
  for (let n = nFloor; n <= MAX_RING_DIMENSION; n *= 2) {
    const chain = modulusChain(n, multDepth, nMults);
    if (cachedEstimate(n, chain.logQ, BASE_SIGMA).classicalBits < target) continue;
    const sigma = widestSigma(n, chain, multDepth, nMults);
    return { n, chain, sigma, estimate: cachedEstimate(n, chain.logQ, sigma) };
  }
  throw new ConfigError(
    `searchParameters: no ring dimension up to ${MAX_RING_DIMENSION} reaches ${target} bits for \`multDepth\` ` +
      `${multDepth}; lower \`targetBits\` or split the circuit into shallower pieces`,
  );
}

/**
 * The smallest parameters for a leveled RLWE scheme to evaluate the circuit at `targetBits` classical
 * security: log2 q = P + q0 + depth·Δ from the noise model, n the smallest power of two ≥ max(1024,
 * 2·slots) whose primal-uSVP core-SVP cost reaches the target, σ the widest ladder value the chain's
 * rounding slack allows. Memoised; deterministic in its input.
 *
 * @example
 * const p = searchParameters({ multDepth: 3, nNodes: 240, nMults: 40 });
 * // { n: 16384, logQ: 235, sigma: 5.87, bitSecurity: 226.1, hardness: 1.00248, proofSize: 3063 }
 */
export function searchParameters(shape: CircuitShape): LatticeParameters {
  const target = validateShape(shape);
  // One slot per node, so a whole layer of the circuit packs into one ciphertext: n ≥ 2·slots.
  const nFloor = Math.max(MIN_RING_DIMENSION, 2 * nextPowerOfTwo(shape.nNodes));
  const key = `${shape.multDepth}|${shape.nMults}|${nFloor}|${target}`;
  let core = coreCache.get(key);
  if (core === undefined) {
    core = searchCore(shape.multDepth, shape.nMults, nFloor, target);
    coreCache.set(key, core);
  }
  return {
    n: core.n,
    logQ: core.chain.logQ,
    sigma: core.sigma,
    bitSecurity: core.estimate.classicalBits,
    hardness: core.estimate.delta,
    proofSize: proofSizeBytes({ n: core.n, logQ: core.chain.logQ, nGates: shape.nNodes, securityBits: target }),
  };
}
