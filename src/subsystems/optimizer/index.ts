import { join } from 'node:path';
import { TrialPruned, WorkerError } from '../../errors.js';
import type { EpochRecord } from '../../ml/train-types.js';
import { categorical, float, int } from '../../space/distributions.js';
import type { Budget } from '../../core/frozen.js';
import type { ObjectiveContext } from '../../study/objective.js';
import type { FullTrainContext, FullTrainResult, PrepareOptions, Subsystem } from '../subsystem.js';
import { ensureDatasets } from './dataset/generate.js';
import { parseHyperparams } from './hyperparams.js';

/**
 * Full-training defaults; a tuning trial's sampled params are merged over them. `batch_size` 4 keeps a
 * 2-epoch, 50-batch trial at the largest sampled size (hidden 384, 8 layers) to a few minutes on one wasm
 * thread (docs/benchmarks/gnn.md has the measurement).
 */
const FULL_DEFAULTS = {
  epochs: 20,
  hidden_dim: 256,
  num_layers: 4,
  num_heads: 8,
  dropout: 0.1,
  learning_rate: 3e-4,
  batch_size: 4,
  weight_decay: 0.01,
  clip_norm: 1,
  warmup: 0.05,
  min_lr_ratio: 0.1,
  patience: 5,
  tuning_val_circuits: 96,
  backend: 'auto',
} as const;

const TUNING_DEFAULTS = { epochs: 2, batchCap: 50 } as const;

/** `budget.epochs` / `budget.batchCap` when the runner set them, else the tuning defaults. */
function budgetOf(budget: Budget): { epochs: number; batchCap: number | null } {
  const epochs = budget['epochs'];
  const cap = budget['batchCap'];
  return {
    epochs: typeof epochs === 'number' ? epochs : TUNING_DEFAULTS.epochs,
    batchCap: cap === undefined ? TUNING_DEFAULTS.batchCap : cap,
  };
}

/** The named metric series recorded per epoch, on trials and runs alike. */
function epochMetrics(r: EpochRecord): Record<string, number> {
  return { train_loss: r.trainLoss, val_loss: r.valLoss, lr: r.lr, grad_norm: r.gradNorm, weight_norm: r.weightNorm, epoch_seconds: r.seconds };
}

function interrupted(): WorkerError {
  return new WorkerError('optimizer: training was interrupted (signal aborted) before it finished', { code: 'INTERRUPTED' });
}

async function objective(params: Readonly<Record<string, unknown>>, ctx: ObjectiveContext & { readonly datasetsDir: string }): Promise<number> {
  const hp = parseHyperparams(params);
  const { initBackend } = await import('../../ml/backend.js');
  const { backend } = await initBackend(hp.backend);
  ctx.setAttr('backend', backend);
  const { loadTrainingData, trainGat } = await import('./train.js');
  const data = await loadTrainingData(ctx.datasetsDir);
  const { epochs, batchCap } = budgetOf(ctx.budget);
  const perEpoch = Math.min(Math.ceil(data.train.split.nCircuits / hp.batchSize), batchCap ?? Number.POSITIVE_INFINITY);
  ctx.log('info', `optimizer: training GAT on ${backend}`, { epochs, batchCap, batches: perEpoch, backend });
  const { model, result } = await trainGat({
    hp, data, epochs, batchCap, seed: ctx.seed, valLimit: hp.tuningValCircuits, signal: ctx.signal,
    onStep: (s) => ctx.progress({ epoch: s.epoch + 1, epochs, batch: s.batch + 1, batches: perEpoch }),
    onEpoch: (r) => {
      ctx.metrics(r.epoch + 1, epochMetrics(r));
      ctx.report(r.epoch + 1, r.valLoss);
    },
    shouldStop: () => ctx.shouldPrune(),
  });
  model.dispose();
  if (result.stoppedBy === 'pruned') {
    throw new TrialPruned(`pruned after epoch ${result.epochs.length}: val_loss ${result.epochs.at(-1)?.valLoss}`);
  }
  if (result.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted();
  return result.bestValLoss;
}

async function fullTrain(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult> {
  const hp = parseHyperparams({ ...FULL_DEFAULTS, ...config });
  const epochs = typeof config['epochs'] === 'number' ? config['epochs'] : FULL_DEFAULTS.epochs;
  const { initBackend } = await import('../../ml/backend.js');
  const { backend } = await initBackend(hp.backend);
  ctx.setAttr('backend', backend);
  const { loadTrainingData, loadSplit, trainGat } = await import('./train.js');
  const { evaluateTest } = await import('./evaluate.js');
  const { prepareSplit } = await import('./feature-stats.js');
  const { loadCheckpoint } = await import('../../ml/checkpoint.js');
  const data = await loadTrainingData(ctx.datasetsDir);
  const perEpoch = Math.ceil(data.train.split.nCircuits / hp.batchSize);
  ctx.log('info', `optimizer: full training on ${backend}`, { epochs, batches: perEpoch, train: data.train.split.nCircuits, backend });
  const { model, result } = await trainGat({
    hp, data, epochs, batchCap: null, seed: ctx.seed, valLimit: null, signal: ctx.signal,
    checkpointDir: ctx.checkpointDir, earlyStopping: true,
    onStep: (s) => ctx.progress({ epoch: s.epoch + 1, epochs, batch: s.batch + 1, batches: perEpoch }),
    onEpoch: (r) => ctx.metrics(r.epoch + 1, epochMetrics(r)),
  });
  try {
    if (result.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted();
    // Test results come from the best epoch's weights (the `best` checkpoint), not the last epoch's.
    const { tf } = await initBackend(hp.backend);
    await loadCheckpoint(tf, { dir: ctx.checkpointDir, tag: 'best', variables: model.variables });
    const test = prepareSplit(await loadSplit(ctx.datasetsDir, 'test'), data.stats);
    const testResult = evaluateTest(model, test, data.train.split, hp.batchSize);
    return {
      value: result.bestValLoss,
      result: { ...testResult, best_epoch: result.bestEpoch + 1, epochs_run: result.epochs.length, stopped_by: result.stoppedBy, backend },
    };
  } finally {
    model.dispose();
  }
}

/**
 * The optimizer subsystem: a graph attention network that predicts lattice parameters (n, log2 q, σ) and their
 * metrics (bit security, hardness, proof size) from circuit graphs. TensorFlow.js and h5wasm load inside
 * `objective` / `fullTrain`, never when this module is imported.
 * @example
 * const sub = optimizerSubsystem;
 * await sub.prepare({ datasetsDir: 'datasets', seed: 42, log: console.log });
 */
export const optimizerSubsystem: Subsystem = Object.freeze({
  name: 'optimizer',
  description: 'graph attention network predicting lattice parameters and security metrics from circuit graphs',
  metric: 'val_loss',
  direction: 'minimize',
  defaultSpace: {
    hidden_dim: categorical([128, 256, 384]),
    num_layers: int(3, 8),
    num_heads: categorical([4, 8]),
    dropout: float(0.05, 0.3),
    learning_rate: float(1e-5, 5e-4, { log: true }),
  },
  defaults: { tuning: TUNING_DEFAULTS, full: FULL_DEFAULTS },
  async prepare(opts: PrepareOptions): Promise<void> {
    const dir = join(opts.datasetsDir, 'optimizer');
    const r = await ensureDatasets(dir, {
      seed: opts.seed,
      onProgress: (p) => opts.log(`optimizer datasets: ${p.split} ${p.done}/${p.total}`),
    });
    if (r.generated) opts.log(`optimizer datasets generated in ${dir} (${r.reason ?? 'missing'})`, { dir });
  },
  objective,
  fullTrain,
});
