/**
 * One model trained twice from the same initial state: encrypted (a session: owner + server) and in float64 (its
 * twin), behind one interface the epoch loop (engine.ts) drives, for logistic regression and the poly-network.
 */
import type { Split } from './dataset/splits.js';
import type { FheHyperparams } from './hyperparams.js';
import { scoreBinary, type BinaryScores } from './metrics.js';
import { EncryptedNetworkSession } from './network-session.js';
import { initialNetwork, plainNetworkIteration, scoreNetwork, type NetworkShape, type NetworkState } from './network.js';
import { plainIteration, signedRows, type NesterovState } from './nesterov.js';
import type { RefreshStats } from './owner/data-owner.js';
import { EncryptedSession, type ScaleHealth } from './session.js';
import type { Polynomial } from './sigmoid.js';

export interface StepInput {
  readonly sigmoid: Polynomial;
  /** The interval [−bound, bound] the sigmoid was fitted on. */
  readonly bound: number;
  readonly gamma: number;
  readonly eta: number;
}

export interface ModelRun {
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
  stepEncrypted(input: StepInput): ScaleHealth;
  /** The float64 twin's iteration. */
  stepPlain(input: StepInput): void;
  /** The owner decrypts the parameters. */
  decrypt(): Float64Array;
  plainParams(): Float64Array;
  score(params: ArrayLike<number>, split: Split): BinaryScores;
  delete(): void;
}

/** How parameters of the model `hp` names are scored on a split (`inputs` = bias + features). */
export function modelScorer(hp: FheHyperparams, inputs: number): (params: ArrayLike<number>, split: Split) => BinaryScores {
  if (hp.model === 'logistic') return (w, split) => scoreBinary(w, split.x, split.y);
  const shape: NetworkShape = { hidden: hp.hiddenWidth, inputs };
  return (p, split) => scoreNetwork(shape, p, split.x, split.y);
}

async function logisticRun(hp: FheHyperparams, rows: Float64Array[]): Promise<ModelRun> {
  const d = rows[0].length;
  const session = await EncryptedSession.start({
    polyModulusDegree: hp.ckks.polyModulusDegree, scaleBits: hp.ckks.scaleBits, sigmoidDegree: hp.sigmoidDegree, rows, initialWeights: new Float64Array(d),
  });
  let plain: NesterovState = { w: new Float64Array(d), v: new Float64Array(d) };
  return {
    keysReused: session.keysReused,
    setupSeconds: session.setupSeconds,
    get refreshStats() {
      return session.refreshStats;
    },
    blocks: session.blocks,
    rowsPerBlock: session.packing.rowsPerBlock,
    depth: session.depth,
    get keySizes() {
      return session.keySizes;
    },
    get ciphertextBytes() {
      return session.ciphertextBytes;
    },
    stepEncrypted: (s) => session.step(s),
    stepPlain: (s) => {
      plain = plainIteration(rows, plain, s);
    },
    decrypt: () => session.decryptWeights(),
    plainParams: () => plain.w,
    score: modelScorer(hp, d),
    delete: () => session.delete(),
  };
}

async function networkRun(hp: FheHyperparams, rows: Float64Array[], seed: number): Promise<ModelRun> {
  const shape: NetworkShape = { hidden: hp.hiddenWidth, inputs: rows[0].length };
  const initial = initialNetwork(shape, seed);
  const session = await EncryptedNetworkSession.start({
    polyModulusDegree: hp.ckks.polyModulusDegree, scaleBits: hp.ckks.scaleBits, sigmoidDegree: hp.sigmoidDegree, hidden: hp.hiddenWidth, rows, initialParams: initial,
  });
  let plain: NetworkState = { w: initial, v: Float64Array.from(initial) };
  return {
    keysReused: session.keysReused,
    setupSeconds: session.setupSeconds,
    get refreshStats() {
      return session.refreshStats;
    },
    blocks: session.blocks,
    rowsPerBlock: session.packing.rowsPerBlock,
    depth: session.depth,
    get keySizes() {
      return session.keySizes;
    },
    get ciphertextBytes() {
      return session.ciphertextBytes;
    },
    stepEncrypted: (s) => session.step(s),
    stepPlain: (s) => {
      plain = plainNetworkIteration(shape, rows, plain, s);
    },
    decrypt: () => session.decryptParams(),
    plainParams: () => plain.w,
    score: modelScorer(hp, shape.inputs),
    delete: () => session.delete(),
  };
}

/** Starts the model `hp` names on the training split (signed rows); `seed` draws the network's initial weights. */
export function startModelRun(hp: FheHyperparams, train: Split, seed: number): Promise<ModelRun> {
  const rows = signedRows(train.x, train.y);
  return hp.model === 'logistic' ? logisticRun(hp, rows) : networkRun(hp, rows, seed);
}
