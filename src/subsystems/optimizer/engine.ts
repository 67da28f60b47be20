/**
 * The optimizer's half of training (subsystems/harness.ts has the other): circuit splits, the graph attention
 * network, packed graph batches, the validation loss and the test-set evaluation. Imports TensorFlow.js and
 * h5wasm; `index.ts` loads it only inside a trial.
 */
import type { TrainingEngine } from '../harness.js';
import { batches, batchShares, type GraphBatch } from './batching.js';
import { evaluateTest } from './evaluate.js';
import { prepareSplit } from './feature-stats.js';
import type { GatHyperparams } from './hyperparams.js';
import type { GatModel } from './model/gat-model.js';
import { createModel, loadSplit, loadTrainingData, meanLoss, type TrainingData } from './train.js';

export const optimizerEngine: TrainingEngine<GatHyperparams, TrainingData, GraphBatch, GatModel> = {
  loadData: (datasetsDir) => loadTrainingData(datasetsDir),
  batchesPerEpoch: (data, hp) => Math.ceil(data.train.split.nCircuits / hp.batchSize),
  createModel: (hp, _data, seed) => createModel(hp, seed),
  trainBatches: (data, hp, o) => batches(data.train, { batchSize: hp.batchSize, seed: o.seed, epoch: o.epoch, shuffle: true }),
  trainShares: (data, hp, o) => batchShares(data.train, { batchSize: hp.batchSize, seed: o.seed, epoch: o.epoch, shuffle: true, share: o.share }),
  // A tuning trial scores the same first `tuning_val_circuits` validation circuits as every other trial.
  valLoss: (model, data, hp, mode) => meanLoss(model, data.val, { batchSize: hp.batchSize, limit: mode === 'tune' ? hp.tuningValCircuits : null }),
  evaluateTest: async (model, data, hp, datasetsDir) =>
    evaluateTest(model, prepareSplit(await loadSplit(datasetsDir, 'test'), data.stats), data.train.split, hp.batchSize),
  describe: (data) => ({ train: data.train.split.nCircuits }),
};
