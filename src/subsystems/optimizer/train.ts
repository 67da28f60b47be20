import { join } from 'node:path';
import { FileCache } from '../../data/file-cache.js';
import type { SplitName } from '../../data/splits.js';
import { tidyScalar } from '../../ml/tidy-scalar.js';
import { batches, EDGE_INPUT_DIM } from './batching.js';
import { readSplit } from './dataset/hdf5-split.js';
import { NODE_FEATURE_COUNT, type CircuitSplit } from './dataset/types.js';
import { featureStats, GRAPH_INPUT_DIM, OUTPUT_COUNT, prepareSplit, type FeatureStats, type PreparedSplit } from './feature-stats.js';
import type { GatHyperparams } from './hyperparams.js';
import { GatModel } from './model/gat-model.js';

const splitCache = new FileCache<CircuitSplit>(readSplit);

/** Reads `<datasetsDir>/optimizer/<name>.h5`, reusing the parsed split while the file is unchanged. */
export function loadSplit(datasetsDir: string, name: SplitName): Promise<CircuitSplit> {
  return splitCache.read(join(datasetsDir, 'optimizer', `${name}.h5`));
}

/** Train and validation splits, normalised with statistics of the training split. */
export interface TrainingData {
  readonly stats: FeatureStats;
  readonly train: PreparedSplit;
  readonly val: PreparedSplit;
}

/** Loads the train and val splits and prepares them; `test` is loaded separately by evaluation. */
export async function loadTrainingData(datasetsDir: string): Promise<TrainingData> {
  const trainSplit = await loadSplit(datasetsDir, 'train');
  const stats = featureStats(trainSplit);
  return { stats, train: prepareSplit(trainSplit, stats), val: prepareSplit(await loadSplit(datasetsDir, 'val'), stats) };
}

/** Builds the network for `hp` with the dataset's input sizes, weights drawn from `seed`. */
export function createModel(hp: GatHyperparams, seed: number): GatModel {
  return new GatModel(
    {
      hiddenDim: hp.hiddenDim, numLayers: hp.numLayers, numHeads: hp.numHeads, dropout: hp.dropout,
      nodeInputDim: NODE_FEATURE_COUNT, edgeInputDim: EDGE_INPUT_DIM, graphInputDim: GRAPH_INPUT_DIM, outputDim: OUTPUT_COUNT,
    },
    seed,
  );
}

/**
 * Mean loss per circuit over (the first `limit` circuits of) a prepared split, evaluation mode.
 * @example const val = meanLoss(model, data.val, { batchSize: 8, limit: 128 });
 */
export function meanLoss(model: GatModel, data: PreparedSplit, o: { batchSize: number; limit?: number | null }): number {
  let sum = 0;
  let count = 0;
  for (const b of batches(data, { batchSize: o.batchSize, seed: 0, epoch: 0, shuffle: false, limit: o.limit ?? null })) {
    sum += tidyScalar(() => model.loss(b, false)) * b.nGraphs;
    count += b.nGraphs;
  }
  return sum / Math.max(count, 1);
}
