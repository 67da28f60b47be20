/**
 * One model trained twice from the same initial state: encrypted (a session: owner + server, session-base.ts) and
 * in float64 (its twin), for logistic regression and the poly-network. The run holds the session itself, not a copy
 * of its facts, so refresh counts and sizes read through it stay live.
 */
import type { Split } from './dataset/splits.js';
import type { FheHyperparams } from './hyperparams.js';
import { scoreBinary, type BinaryScores } from './metrics.js';
import { EncryptedNetworkSession } from './network-session.js';
import { initialNetwork, plainNetworkIteration, scoreNetwork, type NetworkShape, type NetworkState } from './network.js';
import { plainIteration, signedRows, type NesterovState } from './nesterov.js';
import type { EncryptedTrainer } from './session-base.js';
import { EncryptedSession } from './session.js';
import type { Polynomial } from './sigmoid.js';

export interface StepInput {
  readonly sigmoid: Polynomial;
  /** The interval [−bound, bound] the sigmoid was fitted on. */
  readonly bound: number;
  readonly gamma: number;
  readonly eta: number;
}

/** The float64 twin: the same algorithm on the same rows, in plaintext. */
export interface PlainTwin {
  step(input: StepInput): void;
  params(): Float64Array;
}

export interface ModelRun {
  readonly encrypted: EncryptedTrainer;
  readonly plain: PlainTwin;
  score(params: ArrayLike<number>, split: Split): BinaryScores;
}

/** How parameters of the model `hp` names are scored on a split (`inputs` = bias + features). */
export function modelScorer(hp: FheHyperparams, inputs: number): (params: ArrayLike<number>, split: Split) => BinaryScores {
  if (hp.model === 'logistic') return (w, split) => scoreBinary(w, split.x, split.y);
  const shape: NetworkShape = { hidden: hp.hiddenWidth, inputs };
  return (p, split) => scoreNetwork(shape, p, split.x, split.y);
}

async function logisticRun(hp: FheHyperparams, rows: Float64Array[]): Promise<ModelRun> {
  const d = rows[0].length;
  const encrypted = await EncryptedSession.start({
    polyModulusDegree: hp.ckks.polyModulusDegree, scaleBits: hp.ckks.scaleBits, sigmoidDegree: hp.sigmoidDegree, rows, initialWeights: new Float64Array(d),
  });
  let state: NesterovState = { w: new Float64Array(d), v: new Float64Array(d) };
  const plain: PlainTwin = {
    step: (s) => {
      state = plainIteration(rows, state, s);
    },
    params: () => state.w,
  };
  return { encrypted, plain, score: modelScorer(hp, d) };
}

async function networkRun(hp: FheHyperparams, rows: Float64Array[], seed: number): Promise<ModelRun> {
  const shape: NetworkShape = { hidden: hp.hiddenWidth, inputs: rows[0].length };
  const initial = initialNetwork(shape, seed);
  const encrypted = await EncryptedNetworkSession.start({
    polyModulusDegree: hp.ckks.polyModulusDegree, scaleBits: hp.ckks.scaleBits, sigmoidDegree: hp.sigmoidDegree, hidden: hp.hiddenWidth, rows, initialParams: initial,
  });
  let state: NetworkState = { w: initial, v: Float64Array.from(initial) };
  const plain: PlainTwin = {
    step: (s) => {
      state = plainNetworkIteration(shape, rows, state, s);
    },
    params: () => state.w,
  };
  return { encrypted, plain, score: modelScorer(hp, shape.inputs) };
}

/** Starts the model `hp` names on the training split (signed rows); `seed` draws the network's initial weights. */
export function startModelRun(hp: FheHyperparams, train: Split, seed: number): Promise<ModelRun> {
  const rows = signedRows(train.x, train.y);
  return hp.model === 'logistic' ? logisticRun(hp, rows) : networkRun(hp, rows, seed);
}
