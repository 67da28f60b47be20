/**
 * What both encrypted sessions share (session.ts for logistic regression, network-session.ts for the poly-network):
 * the setup's facts (blocks, key and ciphertext sizes, setup time, refreshes since this session began) and the step
 * loop — the owner refreshes the state when the server says it lacks the levels for another iteration, the server
 * iterates, the old state is freed, and the scale health of the new look-ahead is read. A model supplies only how
 * its server iterates its state (ModelServer) and how the owner reads the parameters back (`decrypt`).
 */
import { log2NoiseBound, BASE_SIGMA } from '../../lattice/ckks-noise.js';
import type { CkksContext } from './ckks/context.js';
import { levelOf } from './ckks/ops.js';
import type { CkksParams } from './ckks/params.js';
import { free, type CipherText } from './ckks/seal.js';
import type { DataOwner, RefreshStats } from './owner/data-owner.js';
import type { IterationInput } from './server/training-server.js';
import type { CachedSetup } from './setup-cache.js';

/** Scale health after one iteration: where the state sits in the chain and how much precision the scale holds. */
export interface ScaleHealth {
  readonly level: number;
  readonly levelsLeft: number;
  readonly log2Scale: number;
  /** Δ bits − log2 of the fresh + rescale noise bound (lattice/ckks-noise.ts) − one bit per level used. */
  readonly estPrecisionBits: number;
  readonly refreshed: boolean;
}

/**
 * The health of `ct`, the state's look-ahead after an iteration. Reads the ciphertext's parms id and scale only (no
 * decryption, no secret key): cheap enough for every iteration.
 */
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
export interface SessionSetup extends CachedSetup {
  readonly params: CkksParams;
  readonly owner: DataOwner;
  readonly serverContext: CkksContext;
  /** Encrypted row blocks the server holds. */
  readonly blocks: number;
  readonly rowsPerBlock: number;
  readonly seconds: { readonly keygen: number; readonly encrypt: number };
}

/** How one model's server advances its encrypted state S, as the shared step loop needs it. */
export interface ModelServer<S> {
  /** Whether `s` has the levels one more iteration needs (else the owner refreshes it first). */
  canIterate(s: S): boolean;
  /** The next state; the caller frees `s`. */
  iterate(s: S, input: IterationInput): S;
  /** The state's ciphertexts, in the order `fromCiphertexts` takes them back (refresh, freeing). */
  ciphertexts(s: S): CipherText[];
  fromCiphertexts(cts: readonly CipherText[]): S;
  /** The ciphertext the next iteration starts from (its level and scale are the state's health). */
  lookAhead(s: S): CipherText;
}

export interface SessionStart<S> {
  readonly setup: SessionSetup;
  readonly server: ModelServer<S>;
  readonly initialState: S;
  /** Levels one iteration consumes. */
  readonly depth: number;
  /** The setup came from an earlier session in this thread (setup-cache.ts). */
  readonly keysReused: boolean;
}

/** An encrypted session of either model as the epoch loop drives it (getters are live: they read the owner now). */
export interface EncryptedTrainer {
  readonly keysReused: boolean;
  readonly setupSeconds: { readonly keygen: number; readonly encrypt: number };
  readonly refreshStats: RefreshStats;
  readonly blocks: number;
  readonly rowsPerBlock: number;
  /** Levels one encrypted iteration consumes. */
  readonly depth: number;
  /** Serialized sizes (bytes) of the evaluation keys and of one fresh ciphertext. */
  readonly keySizes: { readonly publicKey: number; readonly relinKeys: number; readonly galoisKeys: number };
  readonly ciphertextBytes: number;
  /** The encrypted iteration (the owner refreshes first when needed). */
  step(input: IterationInput): ScaleHealth;
  /** The owner decrypts the parameters. */
  decrypt(): Float64Array;
  delete(): void;
}

export abstract class EncryptedSessionBase<S> implements EncryptedTrainer {
  readonly params: CkksParams;
  readonly depth: number;
  readonly keysReused: boolean;
  readonly #setup: SessionSetup;
  readonly #server: ModelServer<S>;
  readonly #statsAtStart: RefreshStats;
  #state: S;

  protected constructor(o: SessionStart<S>) {
    this.#setup = o.setup;
    this.#server = o.server;
    this.depth = o.depth;
    this.keysReused = o.keysReused;
    this.params = { ...o.setup.params, depthPerIteration: o.depth, iterationsPerRefresh: Math.floor(o.setup.params.levels / o.depth) };
    this.#statsAtStart = o.setup.owner.stats;
    this.#state = o.initialState;
  }

  /** The current encrypted state and the owner, for a model's `decrypt`. */
  protected get state(): S {
    return this.#state;
  }

  protected get owner(): DataOwner {
    return this.#setup.owner;
  }

  get blocks(): number {
    return this.#setup.blocks;
  }

  get rowsPerBlock(): number {
    return this.#setup.rowsPerBlock;
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

  /** One server iteration, preceded by an owner refresh when the state is too deep for it. */
  step(input: IterationInput): ScaleHealth {
    const server = this.#server;
    let refreshed = false;
    if (!server.canIterate(this.#state)) {
      const old = server.ciphertexts(this.#state);
      const fresh = this.#setup.owner.refresh(old);
      free(...old);
      this.#state = server.fromCiphertexts(fresh);
      refreshed = true;
    }
    const next = server.iterate(this.#state, input);
    free(...server.ciphertexts(this.#state));
    this.#state = next;
    return scaleHealth(this.#setup.serverContext, server.lookAhead(next), refreshed);
  }

  /** The owner decrypts the current parameters. */
  abstract decrypt(): Float64Array;

  /** Frees this session's state; the keys and encrypted rows stay for the next session (releaseCachedSetup). */
  delete(): void {
    free(...this.#server.ciphertexts(this.#state));
  }
}
