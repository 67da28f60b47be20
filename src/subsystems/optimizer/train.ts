import { statSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../ml/train-loop.js';
import type { EpochRecord, StepInfo, TrainResult } from '../../ml/train-types.js';
import { tidyScalar } from './tidy-scalar.js';
import { batches, EDGE_INPUT_DIM } from './batching.js';
import { readSplit } from './dataset/hdf5-split.js';
import { NODE_FEATURE_COUNT, type CircuitSplit } from './dataset/types.js';
import { featureStats, GRAPH_INPUT_DIM, OUTPUT_COUNT, prepareSplit, type FeatureStats, type PreparedSplit } from './feature-stats.js';
import type { GatHyperparams } from './hyperparams.js';
import { GatModel } from './model/gat-model.js';

export type SplitName = 'train' | 'val' | 'test';

const splitCache = new Map<string, { mtimeMs: number; split: CircuitSplit }>();

/** Reads `<datasetsDir>/optimizer/<name>.h5`, reusing the parsed split while the file is unchanged. */
export async function loadSplit(datasetsDir: string, name: SplitName): Promise<CircuitSplit> {
  const path = join(datasetsDir, 'optimizer', `${name}.h5`);
  const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const hit = splitCache.get(path);
  if (hit !== undefined && hit.mtimeMs === mtimeMs) return hit.split;
  const split = await readSplit(path);
  splitCache.set(path, { mtimeMs, split });
  return split;
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

export interface TrainGatOptions {
  readonly hp: GatHyperparams;
  readonly data: TrainingData;
  readonly epochs: number;
  /** Batches per epoch at most (the tuning budget); null for the whole split. */
  readonly batchCap: number | null;
  readonly seed: number;
  /** Validation on the first n circuits only (tuning); null for the whole split. */
  readonly valLimit: number | null;
  readonly signal?: AbortSignal;
  readonly checkpointDir?: string;
  readonly earlyStopping?: boolean;
  onEpoch?(record: EpochRecord): void | Promise<void>;
  onStep?(info: StepInfo): void;
  shouldStop?(): boolean;
}

/**
 * Trains a fresh network with the shared loop (src/ml/train-loop.ts): AdamW, warmup + cosine, clipping,
 * seeded per-epoch shuffling, optional checkpoints and early stopping. The caller disposes the model.
 */
export async function trainGat(o: TrainGatOptions): Promise<{ model: GatModel; result: TrainResult }> {
  const { hp, data } = o;
  const model = createModel(hp, o.seed);
  try {
    const result = await train({
      model,
      trainBatches: (epoch) => batches(data.train, { batchSize: hp.batchSize, seed: o.seed, epoch, shuffle: true, maxBatches: o.batchCap }),
      batchesPerEpoch: Math.ceil(data.train.split.nCircuits / hp.batchSize),
      valLoss: () => meanLoss(model, data.val, { batchSize: hp.batchSize, limit: o.valLimit }),
      epochs: o.epochs,
      batchCap: o.batchCap,
      learningRate: hp.learningRate,
      warmupFraction: hp.warmup,
      minLrRatio: hp.minLrRatio,
      clipNorm: hp.clipNorm,
      adam: { weightDecay: hp.weightDecay },
      ...(o.earlyStopping === true && hp.patience !== null ? { earlyStopping: { patience: hp.patience } } : {}),
      ...(o.checkpointDir !== undefined ? { checkpoint: { dir: o.checkpointDir } } : {}),
      ...(o.signal !== undefined ? { signal: o.signal } : {}),
      onEpoch: o.onEpoch,
      onStep: o.onStep,
      shouldStop: o.shouldStop,
    });
    return { model, result };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
