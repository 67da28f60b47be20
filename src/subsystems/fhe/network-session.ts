/**
 * One encrypted poly-network training session (network.ts, server/network-server.ts): the owner makes keys for the
 * network's rotations, encrypts the x̃ and z blocks and the initial parameters, the server iterates, and the owner
 * refreshes the four parameter ciphertexts whenever they lack the levels for another iteration. Like session.ts,
 * this is the wire between the roles, and the setup is kept per thread for the next trial with the same ring,
 * scale, width and rows (setup-cache.ts).
 */
import { createCkksContext, type CkksContext } from './ckks/context.js';
import { allNetworkRotationSteps, networkPacking, packNetworkBlocks, packNetworkParams, unpackNetworkParams, type NetworkPacking } from './ckks/network-packing.js';
import { checkKeyMemory, deriveCkksParams, networkIterationDepth, type CkksParams } from './ckks/params.js';
import { free, loadSeal } from './ckks/seal.js';
import { DataOwner, type RefreshStats } from './owner/data-owner.js';
import { NetworkServer, type NetworkState } from './server/network-server.js';
import type { IterationInput } from './server/training-server.js';
import { freshCiphertextBytes, scaleHealth, statsSince, type ScaleHealth } from './session.js';
import { acquireSetup, hashRows, type CachedSetup } from './setup-cache.js';

export interface NetworkSessionOptions {
  readonly polyModulusDegree: number;
  readonly scaleBits: number;
  readonly sigmoidDegree: number;
  readonly hidden: number;
  /** Signed rows z_i = y_i·(1, x_i). */
  readonly rows: readonly Float64Array[];
  /** network.ts layout: [u_1 … u_H, v_1 … v_H]. */
  readonly initialParams: Float64Array;
}

interface NetworkSetup extends CachedSetup {
  readonly params: CkksParams;
  readonly packing: NetworkPacking;
  readonly owner: DataOwner;
  readonly serverContext: CkksContext;
  readonly server: NetworkServer;
  readonly blocks: number;
  readonly seconds: { readonly keygen: number; readonly encrypt: number };
}

async function makeSetup(o: NetworkSessionOptions, params: CkksParams, key: string): Promise<NetworkSetup> {
  const p = networkPacking(o.polyModulusDegree / 2, o.rows[0].length, o.hidden);
  const steps = allNetworkRotationSteps(p);
  checkKeyMemory(params, steps.length);
  const seal = await loadSeal();
  const t0 = performance.now();
  const owner = DataOwner.create(seal, params, steps);
  const t1 = performance.now();
  const packed = packNetworkBlocks(p, o.rows);
  const blocks = { x: packed.x.map((b) => owner.encrypt(b)), z: packed.z.map((b) => owner.encrypt(b)) };
  const t2 = performance.now();
  const serverContext = createCkksContext(seal, params);
  const server = new NetworkServer(serverContext, owner.serverKeys, blocks, p);
  return {
    key, params, packing: p, owner, serverContext, server, blocks: blocks.x.length, seconds: { keygen: (t1 - t0) / 1000, encrypt: (t2 - t1) / 1000 },
    delete: () => {
      server.delete();
      serverContext.delete();
      owner.delete();
    },
  };
}

const freeState = (s: NetworkState): void => free(s.uW, s.uV, s.vW, s.vV);

export class EncryptedNetworkSession {
  readonly params: CkksParams;
  readonly depth: number;
  readonly keysReused: boolean;
  readonly sigmoidDegree: number;
  readonly #setup: NetworkSetup;
  readonly #statsAtStart: RefreshStats;
  #state: NetworkState;

  private constructor(setup: NetworkSetup, o: { sigmoidDegree: number; initialParams: Float64Array; keysReused: boolean }) {
    this.#setup = setup;
    this.sigmoidDegree = o.sigmoidDegree;
    this.depth = networkIterationDepth(o.sigmoidDegree);
    this.params = { ...setup.params, depthPerIteration: this.depth, iterationsPerRefresh: Math.floor(setup.params.levels / this.depth) };
    this.keysReused = o.keysReused;
    this.#statsAtStart = setup.owner.stats;
    const { u, v } = packNetworkParams(setup.packing, o.initialParams);
    const enc = (x: Float64Array): ReturnType<DataOwner['encrypt']> => setup.owner.encrypt(x);
    this.#state = { uW: enc(u), uV: enc(u), vW: enc(v), vV: enc(v) };
  }

  /** Parameters are validated first (a ConfigError naming the parameter), before node-seal loads. */
  static async start(o: NetworkSessionOptions): Promise<EncryptedNetworkSession> {
    const params = deriveCkksParams({ polyModulusDegree: o.polyModulusDegree, scaleBits: o.scaleBits, depthPerIteration: networkIterationDepth(o.sigmoidDegree) });
    const key = `poly-network/${o.polyModulusDegree}/${o.scaleBits}/L${params.levels}/h${o.hidden}/${o.rows.length}x${o.rows[0].length}/${hashRows(o.rows)}`;
    const { setup, reused } = await acquireSetup(key, () => makeSetup(o, params, key));
    return new EncryptedNetworkSession(setup, { sigmoidDegree: o.sigmoidDegree, initialParams: o.initialParams, keysReused: reused });
  }

  get packing(): NetworkPacking {
    return this.#setup.packing;
  }

  get blocks(): number {
    return this.#setup.blocks;
  }

  get setupSeconds(): { keygen: number; encrypt: number } {
    return this.keysReused ? { keygen: 0, encrypt: 0 } : { ...this.#setup.seconds };
  }

  get refreshStats(): RefreshStats {
    return statsSince(this.#setup.owner.stats, this.#statsAtStart);
  }

  get keySizes(): { publicKey: number; relinKeys: number; galoisKeys: number } {
    return this.#setup.owner.keySizes();
  }

  get ciphertextBytes(): number {
    return freshCiphertextBytes(this.#setup.owner);
  }

  /** One server iteration, preceded by an owner refresh of the four parameter ciphertexts when they are too deep. */
  step(input: IterationInput): ScaleHealth {
    const { owner, server, serverContext } = this.#setup;
    let refreshed = false;
    if (!server.canIterate(this.#state, this.sigmoidDegree)) {
      const s = this.#state;
      const [uW, uV, vW, vV] = owner.refresh([s.uW, s.uV, s.vW, s.vV]);
      freeState(s);
      this.#state = { uW, uV, vW, vV };
      refreshed = true;
    }
    const next = server.iterate(this.#state, input);
    freeState(this.#state);
    this.#state = next;
    return scaleHealth(serverContext, next.uV, refreshed);
  }

  /** The owner decrypts the current parameters w (network.ts layout). */
  decryptParams(): Float64Array {
    const { owner, packing } = this.#setup;
    return unpackNetworkParams(packing, owner.decrypt(this.#state.uW), owner.decrypt(this.#state.vW));
  }

  /** Frees this session's parameters; the keys and encrypted rows stay for the next session (releaseCachedSetup). */
  delete(): void {
    freeState(this.#state);
  }
}
