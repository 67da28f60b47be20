/**
 * The public half of a CKKS setup, built by the owner and the server alike from the same `CkksParams`: SEAL's
 * context, the encoder and evaluator, and the modulus chain as levels (level 0 = fresh, L = last). Holds no key.
 */
import { ConfigError } from '../../../errors.js';
import type { CkksParams } from './params.js';
import { free, made, type CKKSEncoder, type Context, type Evaluator, type ParmsIdType, type SEALLibrary } from './seal.js';

export interface ChainLevel {
  readonly parmsId: ParmsIdType;
  /** The prime the next rescale divides by (the last prime still in the chain), as a double. */
  readonly prime: number;
  /** Primes left at this level (what `CipherText.coeffModulusSize` reports). */
  readonly nPrimes: number;
}

export interface CkksContext {
  readonly seal: SEALLibrary;
  readonly params: CkksParams;
  readonly context: Context;
  readonly encoder: CKKSEncoder;
  readonly evaluator: Evaluator;
  readonly slots: number;
  /** Default scale Δ = 2^scaleBits. */
  readonly scale: number;
  /** chain[level]; chain.length = levels + 1. */
  readonly chain: readonly ChainLevel[];
  delete(): void;
}

/** SEAL's context for `params` at 128-bit security; a ConfigError naming the parameter when SEAL rejects it. */
export function createCkksContext(seal: SEALLibrary, params: CkksParams): CkksContext {
  const n = params.polyModulusDegree;
  const libraryMax = seal.CoeffModulus.MaxBitCount(n, seal.SecurityLevel.tc128);
  if (libraryMax !== params.maxBits) {
    throw new ConfigError(`poly_modulus_degree: node-seal allows ${libraryMax} bits at N=${n}, the parameter table says ${params.maxBits}; update MAX_BIT_COUNT_128`);
  }
  const parms = seal.EncryptionParameters(seal.SchemeType.ckks);
  const moduli = seal.CoeffModulus.Create(n, Int32Array.from(params.coeffModulusBits));
  parms.setPolyModulusDegree(n);
  parms.setCoeffModulus(moduli);
  const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
  free(moduli, parms);
  if (!context.parametersSet()) {
    context.delete();
    throw new ConfigError(`poly_modulus_degree: SEAL rejected N=${n} with coefficient modulus [${params.coeffModulusBits.join(', ')}] bits at 128-bit security`);
  }
  const chain = walkChain(context, params.levels);
  const encoder = seal.CKKSEncoder(context);
  const evaluator = seal.Evaluator(context);
  return {
    seal, params, context, encoder, evaluator,
    slots: encoder.slotCount,
    scale: 2 ** params.scaleBits,
    chain,
    delete: () => {
      free(evaluator, encoder, ...chain.map((c) => c.parmsId), context);
    },
  };
}

/**
 * The data levels from first to last, walked by `chainIndex` (node-seal's `nextContextData` never returns null,
 * so the walk stops at chain index 0).
 */
function walkChain(context: Context, levels: number): ChainLevel[] {
  const chain: ChainLevel[] = [];
  let data = context.firstContextData;
  for (;;) {
    const parms = data.parms;
    const primes = parms.coeffModulus;
    chain.push({ parmsId: data.parmsId, prime: Number(primes[primes.length - 1]), nPrimes: primes.length });
    parms.delete();
    const index = data.chainIndex;
    if (index === 0) break;
    const next = made(data.nextContextData, 'nextContextData');
    data.delete();
    data = next;
  }
  data.delete();
  if (chain.length !== levels + 1) throw new Error(`CKKS chain has ${chain.length - 1} levels, expected ${levels}`);
  return chain;
}
