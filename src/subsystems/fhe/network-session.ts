/**
 * One encrypted poly-network training session (network.ts, server/network-server.ts): the owner makes keys for the
 * network's rotations, encrypts the x̃ and z blocks and the initial parameters, the server iterates, and the owner
 * refreshes the four parameter ciphertexts whenever they lack the levels for another iteration. Like session.ts,
 * this is the wire between the roles, and the setup is kept per thread for the next trial with the same ring,
 * scale, width and rows (setup-cache.ts).
 */
import { createCkksContext } from './ckks/context.js';
import { allNetworkRotationSteps, networkPacking, packNetworkBlocks, packNetworkParams, unpackNetworkParams, type NetworkPacking } from './ckks/network-packing.js';
import { checkKeyMemory, deriveCkksParams, networkIterationDepth, type CkksParams } from './ckks/params.js';
import { loadSeal } from './ckks/seal.js';
import { DataOwner } from './owner/data-owner.js';
import { NetworkServer, type NetworkState } from './server/network-server.js';
import { EncryptedSessionBase, type ModelServer, type SessionSetup } from './session-base.js';
import { acquireSetup, hashRows } from './setup-cache.js';

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

interface NetworkSetup extends SessionSetup {
  readonly packing: NetworkPacking;
  readonly server: NetworkServer;
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
    key, params, packing: p, owner, serverContext, server, blocks: blocks.x.length, rowsPerBlock: p.rowsPerBlock, seconds: { keygen: (t1 - t0) / 1000, encrypt: (t2 - t1) / 1000 },
    delete: () => {
      server.delete();
      serverContext.delete();
      owner.delete();
    },
  };
}

/** The poly-network's state (U and v, each with its look-ahead) as the shared step loop sees it. */
function networkServer(server: NetworkServer, sigmoidDegree: number): ModelServer<NetworkState> {
  return {
    canIterate: (s) => server.canIterate(s, sigmoidDegree),
    iterate: (s, input) => server.iterate(s, input),
    ciphertexts: (s) => [s.uW, s.uV, s.vW, s.vV],
    fromCiphertexts: ([uW, uV, vW, vV]) => ({ uW, uV, vW, vV }),
    lookAhead: (s) => s.uV,
  };
}

function initialState(setup: NetworkSetup, params: Float64Array): NetworkState {
  const { u, v } = packNetworkParams(setup.packing, params);
  const enc = (x: Float64Array): NetworkState['uW'] => setup.owner.encrypt(x);
  return { uW: enc(u), uV: enc(u), vW: enc(v), vV: enc(v) };
}

export class EncryptedNetworkSession extends EncryptedSessionBase<NetworkState> {
  readonly sigmoidDegree: number;
  readonly #packing: NetworkPacking;

  private constructor(setup: NetworkSetup, o: { sigmoidDegree: number; initialParams: Float64Array; keysReused: boolean }) {
    super({
      setup, server: networkServer(setup.server, o.sigmoidDegree), initialState: initialState(setup, o.initialParams),
      depth: networkIterationDepth(o.sigmoidDegree), keysReused: o.keysReused,
    });
    this.sigmoidDegree = o.sigmoidDegree;
    this.#packing = setup.packing;
  }

  /** Parameters are validated first (a ConfigError naming the parameter), before node-seal loads. */
  static async start(o: NetworkSessionOptions): Promise<EncryptedNetworkSession> {
    const params = deriveCkksParams({ polyModulusDegree: o.polyModulusDegree, scaleBits: o.scaleBits, depthPerIteration: networkIterationDepth(o.sigmoidDegree) });
    const key = `poly-network/${o.polyModulusDegree}/${o.scaleBits}/L${params.levels}/h${o.hidden}/${o.rows.length}x${o.rows[0].length}/${hashRows(o.rows)}`;
    const { setup, reused } = await acquireSetup(key, () => makeSetup(o, params, key));
    return new EncryptedNetworkSession(setup, { sigmoidDegree: o.sigmoidDegree, initialParams: o.initialParams, keysReused: reused });
  }

  /** The owner decrypts the current parameters w (network.ts layout). */
  decrypt(): Float64Array {
    return unpackNetworkParams(this.#packing, this.owner.decrypt(this.state.uW), this.owner.decrypt(this.state.vW));
  }
}
