/**
 * One encrypted training session: the owner makes keys and encrypts the packed rows and initial weights, the
 * server iterates, and whenever the weights lack the levels for another iteration the owner refreshes them.
 * This file is the wire between the two roles (in a deployment, a network); it is the only module that imports both.
 *
 * Keys and the encrypted rows depend only on (N, scale bits, the rows), not on the learning rate or the sigmoid,
 * so the last setup is kept per thread and reused by the next trial of a study with the same ring and data.
 */
import { log2NoiseBound, BASE_SIGMA } from '../../lattice/ckks-noise.js';
import { createCkksContext, type CkksContext } from './ckks/context.js';
import { levelOf } from './ckks/ops.js';
import { allRotationSteps, packBlocks, packing, replicate, type Packing } from './ckks/packing.js';
import { checkKeyMemory, deriveCkksParams, iterationDepth, type CkksParams } from './ckks/params.js';
import { free, loadSeal, type CipherText } from './ckks/seal.js';
import { DataOwner, type RefreshStats } from './owner/data-owner.js';
import { TrainingServer, type EncryptedState, type IterationInput } from './server/training-server.js';
import { acquireSetup, hashRows } from './setup-cache.js';

export { releaseCachedSetup } from './setup-cache.js';

export interface SessionOptions {
  readonly polyModulusDegree: number;
  readonly scaleBits: number;
  readonly sigmoidDegree: number;
  /** Signed rows z_i = y_i·(1, x_i). */
  readonly rows: readonly Float64Array[];
  readonly initialWeights: Float64Array;
}

/** Scale health after one iteration: where the weights sit in the chain and how much precision the scale holds. */
export interface ScaleHealth {
  readonly level: number;
  readonly levelsLeft: number;
  readonly log2Scale: number;
  /** Δ bits − log2 of the fresh + rescale noise bound (lattice/ckks-noise.ts) − one bit per level used. */
  readonly estPrecisionBits: number;
  readonly refreshed: boolean;
}

/** The health of `ct`, the state's look-ahead after an iteration. */
export function scaleHealth(k: CkksContext, ct: CipherText, refreshed: boolean): ScaleHealth {
  const level = levelOf(k, ct);
  return {
    level,
    levelsLeft: k.params.levels - level,
    log2Scale: Math.log2(ct.scale),
    estPrecisionBits: k.params.scaleBits - log2NoiseBound(k.params.polyModulusDegree, BASE_SIGMA) - level,
    refreshed,
  };
}

/** Refresh counts between two snapshots of the owner's stats. */
export function statsSince(now: RefreshStats, start: RefreshStats): RefreshStats {
  return {
    refreshes: now.refreshes - start.refreshes,
    ciphertextsRefreshed: now.ciphertextsRefreshed - start.ciphertextsRefreshed,
    bytesToOwner: now.bytesToOwner - start.bytesToOwner,
    bytesToServer: now.bytesToServer - start.bytesToServer,
  };
}

/** Serialized bytes (uncompressed) of one fresh top-level ciphertext. */
export function freshCiphertextBytes(owner: DataOwner): number {
  const fresh = owner.encrypt(new Float64Array(0));
  const n = fresh.saveArray(owner.context.seal.ComprModeType.none).byteLength;
  fresh.delete();
  return n;
}

/** Keys, both contexts and the server with the encrypted rows: what a trial can inherit from the last one. */
interface Setup {
  readonly key: string;
  readonly params: CkksParams;
  readonly packing: Packing;
  readonly owner: DataOwner;
  readonly serverContext: CkksContext;
  readonly server: TrainingServer;
  readonly blocks: number;
  readonly seconds: { readonly keygen: number; readonly encrypt: number };
  delete(): void;
}

function setupKey(o: SessionOptions, levels: number): string {
  return `logistic/${o.polyModulusDegree}/${o.scaleBits}/L${levels}/${o.rows.length}x${o.initialWeights.length}/${hashRows(o.rows)}`;
}

async function makeSetup(o: SessionOptions, params: CkksParams, key: string): Promise<Setup> {
  const p = packing(o.polyModulusDegree / 2, o.initialWeights.length);
  checkKeyMemory(params, allRotationSteps(p).length);
  const seal = await loadSeal();
  const t0 = performance.now();
  const owner = DataOwner.create(seal, params, allRotationSteps(p));
  const t1 = performance.now();
  const encrypted = packBlocks(p, o.rows).map((b) => owner.encrypt(b));
  const t2 = performance.now();
  const serverContext = createCkksContext(seal, params);
  const server = new TrainingServer(serverContext, owner.serverKeys, encrypted, p);
  return {
    key, params, packing: p, owner, serverContext, server, blocks: encrypted.length, seconds: { keygen: (t1 - t0) / 1000, encrypt: (t2 - t1) / 1000 },
    delete: () => {
      server.delete();
      serverContext.delete();
      owner.delete();
    },
  };
}

export class EncryptedSession {
  readonly params: CkksParams;
  readonly depth: number;
  readonly rowLength: number;
  readonly keysReused: boolean;
  readonly #setup: Setup;
  readonly #statsAtStart: RefreshStats;
  #state: EncryptedState;

  private constructor(setup: Setup, o: { depth: number; initialWeights: Float64Array; keysReused: boolean }) {
    this.#setup = setup;
    this.params = { ...setup.params, depthPerIteration: o.depth, iterationsPerRefresh: Math.floor(setup.params.levels / o.depth) };
    this.depth = o.depth;
    this.rowLength = o.initialWeights.length;
    this.keysReused = o.keysReused;
    this.#statsAtStart = setup.owner.stats;
    const slots = replicate(setup.packing, o.initialWeights);
    this.#state = { w: setup.owner.encrypt(slots), v: setup.owner.encrypt(slots) };
  }

  /** Parameters are validated first (a ConfigError naming the parameter), before node-seal loads. */
  static async start(o: SessionOptions): Promise<EncryptedSession> {
    const depth = iterationDepth(o.sigmoidDegree);
    const params = deriveCkksParams({ polyModulusDegree: o.polyModulusDegree, scaleBits: o.scaleBits, depthPerIteration: depth });
    const key = setupKey(o, params.levels);
    const { setup, reused } = await acquireSetup(key, () => makeSetup(o, params, key));
    return new EncryptedSession(setup, { depth, initialWeights: o.initialWeights, keysReused: reused });
  }

  get packing(): Packing {
    return this.#setup.packing;
  }

  /** Encrypted row blocks the server holds. */
  get blocks(): number {
    return this.#setup.blocks;
  }

  /** Key generation and row encryption time of the setup (0 when this session reused the previous one's). */
  get setupSeconds(): { keygen: number; encrypt: number } {
    return this.keysReused ? { keygen: 0, encrypt: 0 } : { ...this.#setup.seconds };
  }

  /** Refreshes of this session (not of earlier sessions sharing the keys). */
  get refreshStats(): RefreshStats {
    return statsSince(this.#setup.owner.stats, this.#statsAtStart);
  }

  get keySizes(): { publicKey: number; relinKeys: number; galoisKeys: number } {
    return this.#setup.owner.keySizes();
  }

  /** Serialized bytes of one fresh ciphertext. */
  get ciphertextBytes(): number {
    return freshCiphertextBytes(this.#setup.owner);
  }

  /** One server iteration, preceded by an owner refresh when the weights are too deep for it. */
  step(input: IterationInput): ScaleHealth {
    const { owner, server, serverContext: k } = this.#setup;
    let refreshed = false;
    if (!server.canIterate(this.#state, this.depth)) {
      const [w, v] = owner.refresh([this.#state.w, this.#state.v]);
      free(this.#state.w, this.#state.v);
      this.#state = { w, v };
      refreshed = true;
    }
    const next = server.iterate(this.#state, input);
    free(this.#state.w, this.#state.v);
    this.#state = next;
    return scaleHealth(k, next.v, refreshed);
  }

  /** The owner decrypts the current weights w (row 0's segment). */
  decryptWeights(): Float64Array {
    return this.#setup.owner.decrypt(this.#state.w).slice(0, this.rowLength);
  }

  /** Frees this session's weights; the keys and encrypted rows stay for the next session (releaseCachedSetup). */
  delete(): void {
    free(this.#state.w, this.#state.v);
  }
}
