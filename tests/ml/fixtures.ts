import type { Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../src/ml/backend.js';
import type { TrainableModel, TrainOptions } from '../../src/ml/train-types.js';
import { Rng } from '../../src/util/rng.js';

/** A regression problem with a nonlinear target: y = sin(2·x0) + x1·x2 + 0.05·noise. */
export function makeRegression(seed: number, n: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    x.push(row);
    y.push([Math.sin(2 * row[0]) + row[1] * row[2] + 0.05 * rng.normal()]);
  }
  return { x, y };
}

export interface Batch {
  readonly x: Tensor2D;
  readonly y: Tensor2D;
}

/** A one-hidden-layer MLP (3 → hidden → 1, ReLU) with seeded Gaussian initialisation. */
export function makeMlp(tf: Tf, seed: number, hidden = 32): TrainableModel<Batch> {
  const w1 = tf.variable(tf.randomNormal([3, hidden], 0, Math.sqrt(2 / 3), 'float32', seed));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.randomNormal([hidden, 1], 0, Math.sqrt(1 / hidden), 'float32', seed + 1));
  const b2 = tf.variable(tf.zeros([1]));
  const variables: Variable[] = [w1, b1, w2, b2];
  return {
    variables,
    loss: ({ x, y }) => tf.losses.meanSquaredError(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)),
  };
}

/**
 * Training options over a regression split: per-epoch shuffled batches (tensors created by the generator, so
 * freed with each step) and a validation loss over a held-out split.
 */
export function regressionTask(tf: Tf, o: { seed: number; nTrain: number; nVal: number; batchSize: number }): {
  model: TrainableModel<Batch>;
  base: Pick<TrainOptions<Batch>, 'model' | 'trainBatches' | 'batchesPerEpoch' | 'valLoss'>;
  meanPredictorMse: number;
  dispose(): void;
} {
  const train = makeRegression(o.seed, o.nTrain);
  const val = makeRegression(o.seed + 1000, o.nVal);
  const valX = tf.tensor2d(val.x);
  const valY = tf.tensor2d(val.y);
  const model = makeMlp(tf, o.seed);
  const nBatches = Math.floor(o.nTrain / o.batchSize);
  const trainBatches = function* (epoch: number): Generator<Batch> {
    const order = new Rng(o.seed, epoch).shuffle([...Array(o.nTrain).keys()]);
    for (let b = 0; b < nBatches; b++) {
      const idx = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
      yield { x: tf.tensor2d(idx.map((i) => train.x[i])), y: tf.tensor2d(idx.map((i) => train.y[i])) };
    }
  };
  const valLoss = (): number => tf.tidy(() => model.loss({ x: valX, y: valY }, false).dataSync()[0]);
  const meanY = train.y.reduce((s, [v]) => s + v, 0) / o.nTrain;
  const meanPredictorMse = val.y.reduce((s, [v]) => s + (v - meanY) ** 2, 0) / o.nVal;
  return {
    model,
    base: { model, trainBatches, batchesPerEpoch: nBatches, valLoss },
    meanPredictorMse,
    dispose: () => {
      valX.dispose();
      valY.dispose();
      for (const v of model.variables) v.dispose();
    },
  };
}
