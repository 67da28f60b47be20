/**
 * One encrypted training session: the owner makes keys and encrypts the packed rows and initial weights, the
 * server iterates, and whenever the weights lack the levels for another iteration the owner refreshes them.
 * This file is the wire between the two roles (in a deployment, a network); it is the only module that imports both.
 *
 * Keys and the encrypted rows depend only on (N, scale bits, the rows), not on the learning rate or the sigmoid,
 * so the last setup is kept per thread and reused by the next trial of a study with the same ring and data.
 */
import { createCkksContext } from './ckks/context.js';
import { allRotationSteps, packBlocks, packing, replicate, type Packing } from './ckks/packing.js';
import { checkKeyMemory, deriveCkksParams, iterationDepth, type CkksParams } from './ckks/params.js';
import { loadSeal } from './ckks/seal.js';
import { DataOwner } from './owner/data-owner.js';
import { TrainingServer, type EncryptedState } from './server/training-server.js';
import { EncryptedSessionBase, type ModelServer, type SessionSetup } from './session-base.js';
import { acquireSetup, hashRows } from './setup-cache.js';

export { releaseCachedSetup } from './setup-cache.js';
export type { ScaleHealth } from './session-base.js';

export interface SessionOptions {
  readonly polyModulusDegree: number;
  readonly scaleBits: number;
  readonly sigmoidDegree: number;
  /** Signed rows z_i = y_i·(1, x_i). */
  readonly rows: readonly Float64Array[];
  readonly initialWeights: Float64Array;
}

interface Setup extends SessionSetup {
  readonly packing: Packing;
  readonly server: TrainingServer;
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
    key, params, packing: p, owner, serverContext, server, blocks: encrypted.length, rowsPerBlock: p.rowsPerBlock, seconds: { keygen: (t1 - t0) / 1000, encrypt: (t2 - t1) / 1000 },
    delete: () => {
      server.delete();
      serverContext.delete();
      owner.delete();
    },
  };
}

/** Logistic regression's state (w, v) as the shared step loop sees it. */
function logisticServer(server: TrainingServer, depth: number): ModelServer<EncryptedState> {
  return {
    canIterate: (s) => server.canIterate(s, depth),
    iterate: (s, input) => server.iterate(s, input),
    ciphertexts: (s) => [s.w, s.v],
    fromCiphertexts: ([w, v]) => ({ w, v }),
    lookAhead: (s) => s.v,
  };
}

/** The replicated initial weights as the owner encrypts them: w_0 and its look-ahead v_0. */
function initialState(setup: Setup, weights: Float64Array): EncryptedState {
  const slots = replicate(setup.packing, weights);
  return { w: setup.owner.encrypt(slots), v: setup.owner.encrypt(slots) };
}

export class EncryptedSession extends EncryptedSessionBase<EncryptedState> {
  readonly rowLength: number;

  private constructor(setup: Setup, o: { depth: number; initialWeights: Float64Array; keysReused: boolean }) {
    super({ setup, server: logisticServer(setup.server, o.depth), initialState: initialState(setup, o.initialWeights), depth: o.depth, keysReused: o.keysReused });
    this.rowLength = o.initialWeights.length;
  }

  /** Parameters are validated first (a ConfigError naming the parameter), before node-seal loads. */
  static async start(o: SessionOptions): Promise<EncryptedSession> {
    const depth = iterationDepth(o.sigmoidDegree);
    const params = deriveCkksParams({ polyModulusDegree: o.polyModulusDegree, scaleBits: o.scaleBits, depthPerIteration: depth });
    const key = setupKey(o, params.levels);
    const { setup, reused } = await acquireSetup(key, () => makeSetup(o, params, key));
    return new EncryptedSession(setup, { depth, initialWeights: o.initialWeights, keysReused: reused });
  }

  /** The owner decrypts the current weights w (row 0's segment). */
  decrypt(): Float64Array {
    return this.owner.decrypt(this.state.w).slice(0, this.rowLength);
  }
}
