/**
 * One encrypted training session: the owner makes keys and encrypts the packed rows and initial weights, the
 * server iterates, and whenever the weights lack the levels for another iteration the owner refreshes them.
 * This file is the wire between the two roles (in a deployment, a network); it is the only module that imports both.
 */
import { DataOwner, type RefreshStats } from './owner/data-owner.js';
import { allRotationSteps, packBlocks, packing, replicate, type Packing } from './ckks/packing.js';
import { deriveCkksParams, iterationDepth, type CkksParams } from './ckks/params.js';
import { createCkksContext, type CkksContext } from './ckks/context.js';
import { levelOf } from './ckks/ops.js';
import { free, loadSeal } from './ckks/seal.js';
import { TrainingServer, type EncryptedState } from './server/training-server.js';
import { log2NoiseBound, BASE_SIGMA } from '../../lattice/ckks-noise.js';

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
  /** log2 Δ − log2 of the fresh + rescale noise bound (lattice/ckks-noise.ts) − one bit per level used. */
  readonly estPrecisionBits: number;
  readonly refreshed: boolean;
}

export class EncryptedSession {
  readonly params: CkksParams;
  readonly packing: Packing;
  /** Bias + features. */
  readonly rowLength: number;
  readonly #blocks: number;
  readonly #owner: DataOwner;
  readonly #serverContext: CkksContext;
  readonly #server: TrainingServer;
  #state: EncryptedState;
  readonly setupSeconds: { keygen: number; encrypt: number };

  private constructor(o: { params: CkksParams; packing: Packing; owner: DataOwner; serverContext: CkksContext; server: TrainingServer; state: EncryptedState; rowLength: number; blocks: number; setupSeconds: { keygen: number; encrypt: number } }) {
    this.rowLength = o.rowLength;
    this.#blocks = o.blocks;
    this.params = o.params;
    this.packing = o.packing;
    this.#owner = o.owner;
    this.#serverContext = o.serverContext;
    this.#server = o.server;
    this.#state = o.state;
    this.setupSeconds = o.setupSeconds;
  }

  /** Parameters are validated first (a ConfigError naming the parameter), before node-seal loads. */
  static async start(o: SessionOptions): Promise<EncryptedSession> {
    const depth = iterationDepth(o.sigmoidDegree);
    const params = deriveCkksParams({ polyModulusDegree: o.polyModulusDegree, scaleBits: o.scaleBits, depthPerIteration: depth });
    const seal = await loadSeal();
    const p = packing(o.polyModulusDegree / 2, o.initialWeights.length);
    const t0 = performance.now();
    const owner = DataOwner.create(seal, params, allRotationSteps(p));
    const t1 = performance.now();
    const blocks = packBlocks(p, o.rows).map((b) => owner.encrypt(b));
    const w0 = replicate(p, o.initialWeights);
    const state = { w: owner.encrypt(w0), v: owner.encrypt(w0) };
    const t2 = performance.now();
    const serverContext = createCkksContext(seal, params);
    const server = new TrainingServer(serverContext, owner.serverKeys, blocks, p);
    return new EncryptedSession({ params, packing: p, owner, serverContext, server, state, rowLength: o.initialWeights.length, blocks: blocks.length, setupSeconds: { keygen: (t1 - t0) / 1000, encrypt: (t2 - t1) / 1000 } });
  }

  /** Encrypted row blocks the server holds. */
  get blocks(): number {
    return this.#blocks;
  }

  get refreshStats(): RefreshStats {
    return this.#owner.stats;
  }

  get keySizes(): { publicKey: number; relinKeys: number; galoisKeys: number } {
    return this.#owner.keySizes();
  }

  /** Serialized bytes of one fresh ciphertext. */
  get ciphertextBytes(): number {
    return this.#state.v.saveArray(this.#serverContext.seal.ComprModeType.none).byteLength;
  }

  /** One server iteration, preceded by an owner refresh when the weights are too deep for it. */
  step(input: { gradientPolynomial: readonly number[]; eta: number }): ScaleHealth {
    let refreshed = false;
    if (!this.#server.canIterate(this.#state)) {
      const [w, v] = this.#owner.refresh([this.#state.w, this.#state.v]);
      free(this.#state.w, this.#state.v);
      this.#state = { w, v };
      refreshed = true;
    }
    const next = this.#server.iterate(this.#state, input);
    free(this.#state.w, this.#state.v);
    this.#state = next;
    const k = this.#serverContext;
    const level = levelOf(k, next.v);
    const n = this.params.polyModulusDegree;
    return {
      level,
      levelsLeft: this.params.levels - level,
      log2Scale: Math.log2(next.v.scale),
      estPrecisionBits: this.params.scaleBits - log2NoiseBound(n, BASE_SIGMA) - level,
      refreshed,
    };
  }

  /** The owner decrypts the current weights w (row 0's segment). */
  decryptWeights(): Float64Array {
    return this.#owner.decrypt(this.#state.w).slice(0, this.rowLength);
  }

  delete(): void {
    free(this.#state.w, this.#state.v);
    this.#server.delete();
    this.#serverContext.delete();
    this.#owner.delete();
  }
}
