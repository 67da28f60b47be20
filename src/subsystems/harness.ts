/**
 * The training skeleton every TensorFlow.js subsystem shares: start the backend, load the data, train under the
 * budget with the shared loop, turn the stop reason into a pruned or interrupted trial, and for full training
 * restore the best checkpoint and evaluate on the test split. A subsystem supplies its hyperparameter parser
 * and a `TrainingEngine` (data, model, batches, losses, test metrics), loaded lazily; `defineTrainingSubsystem`
 * makes the `objective` and `fullTrain` of its `Subsystem` from them.
 */
import type { Attrs, StudyDirection } from '../core/frozen.js';
import { WorkerError } from '../errors.js';
import type { TrainingHyperparams } from '../ml/hyperparams.js';
import { paramReader } from '../ml/hyperparams.js';
import type { Share, ShareOf } from '../ml/data-parallel/shares.js';
import type { ReplicaGroup, ReplicaJob, TrainingMode } from './replica-types.js';
import { subsystemModule } from './registry.js';
import type { EpochRecord, StepInfo, TrainableModel, TrainOptions, TrainResult } from '../ml/train-types.js';
import type { FullTrainContext, FullTrainResult, Subsystem, SubsystemTrialContext } from './subsystem.js';

/** A model the engine builds: trainable by the shared loop, and disposable (it owns tf.Variables). */
export interface EngineModel<B> extends TrainableModel<B> {
  dispose(): void;
  /**
   * Named diagnostics gathered during the epoch that just ended (e.g. per-group gradient norms), stored beside the
   * epoch's metrics; called once per epoch, after validation.
   */
  epochDiagnostics?(): Readonly<Record<string, number>>;
  /**
   * Named values of the optimizer step that just ran (e.g. each loss term), stored as per-step series keyed by the
   * 1-based global step; called after every step. Absent or empty: nothing is stored per step.
   */
  stepDiagnostics?(): Readonly<Record<string, number>>;
}

/**
 * The tuning metric when it is not the validation loss (retrieval's validation MRR@10, maximised). It is computed
 * after each epoch's validation loss, reported to the pruner, picks the best epoch (early stopping, the `best`
 * checkpoint) and is what the objective returns; the validation loss is still stored as `val_loss`.
 */
export interface SelectionMetric<H, D, M> {
  readonly name: string;
  readonly direction: StudyDirection;
  evaluate(model: M, data: D, hp: H, mode: TrainingMode): number;
}

export type { TrainingMode } from './replica-types.js';

/** The subsystem-specific half of training; everything here may import TensorFlow.js. */
export interface TrainingEngine<H extends TrainingHyperparams, D, B, M extends EngineModel<B> = EngineModel<B>> {
  /** The training and validation data (the test split is read by `evaluateTest`). */
  loadData(datasetsDir: string, hp: H): Promise<D>;
  /** Batches in one full pass over the training data (before any batch cap). */
  batchesPerEpoch(data: D, hp: H): number;
  /** A fresh model with weights drawn from `seed`. */
  createModel(hp: H, data: D, seed: number): M;
  /** One epoch's training batches, shuffled from (seed, epoch); drawn lazily, the loop stops at the cap. */
  trainBatches(data: D, hp: H, o: { readonly seed: number; readonly epoch: number }): Iterable<B>;
  /**
   * Data-parallel training (`tune train --train-workers N`): replica `share.rank`'s share of each of
   * `trainBatches`' batches, drawn identically and cut by ml/data-parallel/shares.ts, with its example count (the
   * model's loss must be a mean over examples, so the count-weighted mean of the shares' gradients is the batch's).
   * Absent: the subsystem trains on one worker only.
   */
  trainShares?(data: D, hp: H, o: { readonly seed: number; readonly epoch: number; readonly share: ShareOf }): Iterable<Share<B>>;
  /** Mean validation loss of the model's current weights. */
  valLoss(model: M, data: D, hp: H, mode: TrainingMode): number;
  /** Test-set results of the trained model (full training). */
  evaluateTest(model: M, data: D, hp: H, datasetsDir: string): Promise<Attrs>;
  /** Sizes worth logging at the start (e.g. `{ train: 2000 }`). */
  describe?(data: D): Attrs;
  /** Absent: the validation loss (minimised) is the tuning metric. */
  readonly selection?: SelectionMetric<H, D, M>;
}

/** A subsystem built on the kit: its `Subsystem` fields without the two functions the harness makes. */
export interface TrainingSubsystemSpec<H extends TrainingHyperparams, D, B, M extends EngineModel<B>> extends Omit<Subsystem, 'objective' | 'fullTrain'> {
  /** Validates a flat params record (sampled params over `defaults.full`); ConfigError naming the field. */
  parseHyperparams(params: Readonly<Record<string, unknown>>): H;
  /** Imports the engine (and with it TensorFlow.js) inside a trial, never at module load. */
  loadEngine(): Promise<TrainingEngine<H, D, B, M>>;
  /**
   * The engine implements `trainShares`, so full training (`--train-workers`) and tuning trials (idle worker
   * slots, runner/train-slots.ts) may train on several worker threads. Declared here because the CLI decides
   * before the engine (and TensorFlow.js) loads; the subsystem gets `trainReplica` only with it.
   */
  readonly dataParallel?: boolean;
}

/** The named metric series recorded per epoch, on trials and runs alike. */
export function epochMetrics(r: EpochRecord): Record<string, number> {
  return { train_loss: r.trainLoss, val_loss: r.valLoss, lr: r.lr, grad_norm: r.gradNorm, weight_norm: r.weightNorm, epoch_seconds: r.seconds };
}

export interface TrainModelOptions<H extends TrainingHyperparams, D, B, M extends EngineModel<B>> {
  readonly engine: TrainingEngine<H, D, B, M>;
  readonly hp: H;
  readonly data: D;
  readonly epochs: number;
  readonly batchCap: number | null;
  readonly seed: number;
  readonly mode: TrainingMode;
  readonly signal?: AbortSignal;
  /** Write best/last checkpoints here (full training). */
  readonly checkpointDir?: string;
  /** Stop after `hp.patience` epochs without improvement (full training). */
  readonly earlyStopping?: boolean;
  /**
   * `diagnostics`: the model's `epochDiagnostics()` for this epoch ({} when it has none), plus the selection
   * metric under its name; `value`: the tuning metric's value (the validation loss without a selection metric).
   * `record.valLoss` is always the validation loss.
   */
  onEpoch?(record: EpochRecord, diagnostics: Readonly<Record<string, number>>, value: number): void | Promise<void>;
  /** `diagnostics`: the model's `stepDiagnostics()` for this step ({} when it has none). */
  onStep?(info: StepInfo, diagnostics: Readonly<Record<string, number>>): void;
  shouldStop?(): boolean;
  /**
   * Data-parallel training on `replicas.count` worker threads (this thread is replica 0, the leader: it alone
   * validates, checkpoints and reports); 1 or absent: this thread alone. Losses and the result are the single
   * worker's up to float summation order (subsystems/data-parallel.ts).
   */
  readonly replicas?: ReplicaSpec;
}

/** What a data-parallel run needs to start the other replicas (plain data: it is posted to worker threads). */
export interface ReplicaSpec {
  readonly count: number;
  /** The subsystem's name and the module that default-exports it (what each replica's thread imports). */
  readonly subsystem: string;
  readonly moduleUrl: string;
  /** The record `parseHyperparams` turned into `hp`: each replica parses it again. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly datasetsDir: string;
}

type CommonTrainOptions = Pick<
  TrainOptions<unknown>,
  'batchesPerEpoch' | 'epochs' | 'batchCap' | 'learningRate' | 'warmupFraction' | 'minLrRatio' | 'clipNorm' | 'adam' | 'earlyStopping'
>;

/** The loop's options both the leader and every other replica use: the same schedule, clipping, AdamW, stopping. */
export function commonTrainOptions<H extends TrainingHyperparams, D, B>(
  engine: TrainingEngine<H, D, B, EngineModel<B>>,
  o: Pick<TrainModelOptions<H, D, B, EngineModel<B>>, 'hp' | 'data' | 'epochs' | 'batchCap' | 'earlyStopping'>,
): CommonTrainOptions {
  const { hp } = o;
  return {
    batchesPerEpoch: engine.batchesPerEpoch(o.data, hp),
    epochs: o.epochs,
    batchCap: o.batchCap,
    learningRate: hp.learningRate,
    warmupFraction: hp.warmup,
    minLrRatio: hp.minLrRatio,
    clipNorm: hp.clipNorm,
    adam: { weightDecay: hp.weightDecay },
    ...(o.earlyStopping === true && hp.patience !== null ? { earlyStopping: { patience: hp.patience } } : {}),
  };
}

/**
 * Trains a fresh model of `engine` with the shared loop (AdamW, warmup + cosine, clipping, early stopping,
 * checkpoints). Benchmarks call it directly; the subsystem's objective and fullTrain go through it too. The
 * caller disposes the model.
 */
export async function trainModel<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(o: TrainModelOptions<H, D, B, M>): Promise<{ model: M; result: TrainResult; bestValue: number }> {
  const { train } = await import('../ml/train-loop.js');
  const { engine, hp, data } = o;
  const model = engine.createModel(hp, data, o.seed);
  // The loop minimises what `valLoss` returns: with a selection metric that is the metric, signed so lower is better.
  const sel = engine.selection;
  const sign = sel?.direction === 'maximize' ? -1 : 1;
  const lossByEpoch = new Map<number, number>();
  const valueByEpoch = new Map<number, number>();
  const validate = (epoch: number): number => {
    const loss = engine.valLoss(model, data, hp, o.mode);
    if (sel === undefined) return loss;
    const value = sel.evaluate(model, data, hp, o.mode);
    lossByEpoch.set(epoch, loss);
    valueByEpoch.set(epoch, value);
    return Number.isFinite(value) ? sign * value : Number.NaN;
  };
  let group: ReplicaGroup<B> | null = null;
  try {
    if ((o.replicas?.count ?? 1) > 1) group = (await import('./data-parallel.js')).startReplicas(engine, model, o);
    const shared = {
      ...commonTrainOptions(engine, o),
      valLoss: validate,
      ...(o.checkpointDir !== undefined ? { checkpoint: { dir: o.checkpointDir } } : {}),
      ...(o.signal !== undefined ? { signal: o.signal } : {}),
      onEpoch: (r: EpochRecord) => {
        const diagnostics = model.epochDiagnostics?.() ?? {};
        if (sel === undefined) return o.onEpoch?.(r, diagnostics, r.valLoss);
        const value = valueByEpoch.get(r.epoch) ?? Number.NaN;
        return o.onEpoch?.({ ...r, valLoss: lossByEpoch.get(r.epoch) ?? Number.NaN }, { ...diagnostics, [sel.name]: value }, value);
      },
      ...(o.onStep === undefined ? {} : { onStep: (s: StepInfo) => o.onStep?.(s, model.stepDiagnostics?.() ?? {}) }),
      shouldStop: o.shouldStop,
    };
    const result =
      group === null
        ? await train<B>({ ...shared, model, trainBatches: (epoch) => engine.trainBatches(data, hp, { seed: o.seed, epoch }) })
        : await train<Share<B>>({ ...shared, ...group.leader });
    await group?.finish();
    return { model, result, bestValue: sign * result.bestValLoss };
  } catch (e) {
    model.dispose();
    throw (await group?.fail(e)) ?? e;
  }
}

function interrupted(name: string): WorkerError {
  return new WorkerError(`${name}: training was interrupted (signal aborted) before it finished`, { code: 'INTERRUPTED' });
}

/** Backend, engine and data: what both the objective and full training start with. */
async function start<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(
  spec: TrainingSubsystemSpec<H, D, B, M>,
  hp: H,
  ctx: Pick<SubsystemTrialContext, 'setAttr' | 'datasetsDir'>,
): Promise<{ engine: TrainingEngine<H, D, B, M>; data: D; backend: string; matmul: string; perEpoch: (cap: number | null) => number }> {
  const { initBackend } = await import('../ml/backend.js');
  const { cappedBatchesPerEpoch } = await import('../ml/train-loop.js');
  const { backend, matmul } = await initBackend(hp.backend);
  ctx.setAttr('backend', backend);
  ctx.setAttr('matmul', matmul);
  const engine = await spec.loadEngine();
  const data = await engine.loadData(ctx.datasetsDir, hp);
  return { engine, data, backend, matmul, perEpoch: (cap) => cappedBatchesPerEpoch(engine.batchesPerEpoch(data, hp), cap) };
}

async function objective<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(spec: TrainingSubsystemSpec<H, D, B, M>, params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext): Promise<number> {
  const hp = spec.parseHyperparams(params);
  const { engine, data, backend, matmul, perEpoch } = await start(spec, hp, ctx);
  const { epochs, batchCap } = ctx.budget;
  const batches = perEpoch(batchCap);
  // Each replica needs at least one example of every batch: a small batch_size trains on fewer of the slots held.
  const trainWorkers = Math.max(1, Math.min(ctx.trainWorkers ?? 1, hp.batchSize));
  ctx.setAttr('train_workers', trainWorkers);
  const on = trainWorkers === 1 ? '' : `, ${trainWorkers} train workers`;
  ctx.log('info', `${spec.name}: training on ${backend}, matmul ${matmul}${on}`, { epochs, batchCap, batches, backend, matmul, trainWorkers, ...engine.describe?.(data) });
  let last = Number.NaN;
  const { model, result, bestValue } = await trainModel({
    engine, hp, data, epochs, batchCap, seed: ctx.seed, mode: 'tune', signal: ctx.signal,
    ...(trainWorkers > 1 ? { replicas: { count: trainWorkers, subsystem: spec.name, moduleUrl: subsystemModule(spec.name), params, datasetsDir: ctx.datasetsDir } } : {}),
    onStep: (s, diagnostics) => {
      if (Object.keys(diagnostics).length > 0) ctx.metrics(s.step + 1, diagnostics);
      ctx.progress({ epoch: s.epoch + 1, epochs, batch: s.batch + 1, batches });
    },
    onEpoch: (r, diagnostics, value) => {
      ctx.metrics(r.epoch + 1, { ...epochMetrics(r), ...diagnostics });
      ctx.report(r.epoch + 1, value);
      last = value;
    },
    shouldStop: () => ctx.shouldPrune(),
  });
  model.dispose();
  if (result.stoppedBy === 'pruned') {
    ctx.prune(`pruned after epoch ${result.epochs.length}: ${spec.metric} ${last}`);
  }
  if (result.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted(spec.name);
  return bestValue;
}

/** The hyperparameters and epochs of a full-training config merged over the defaults; ConfigError naming the key. */
function parseFullConfig<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(spec: TrainingSubsystemSpec<H, D, B, M>, config: Readonly<Record<string, unknown>>): { hp: H; epochs: number; merged: Readonly<Record<string, unknown>> } {
  const merged = { ...spec.defaults.full, ...config };
  return { hp: spec.parseHyperparams(merged), epochs: paramReader(spec.name, merged).positiveInt('epochs'), merged };
}

async function fullTrain<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(spec: TrainingSubsystemSpec<H, D, B, M>, config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult> {
  const { hp, epochs, merged } = parseFullConfig(spec, config);
  const { engine, data, backend, matmul, perEpoch } = await start(spec, hp, ctx);
  const batches = perEpoch(null);
  const trainWorkers = ctx.trainWorkers ?? 1;
  ctx.log('info', `${spec.name}: full training on ${backend}, matmul ${matmul}, ${trainWorkers} train worker${trainWorkers === 1 ? '' : 's'}`, { epochs, batches, backend, matmul, trainWorkers, ...engine.describe?.(data) });
  const { model, result, bestValue } = await trainModel({
    engine, hp, data, epochs, batchCap: null, seed: ctx.seed, mode: 'full', signal: ctx.signal,
    checkpointDir: ctx.checkpointDir, earlyStopping: true,
    ...(trainWorkers > 1 ? { replicas: { count: trainWorkers, subsystem: spec.name, moduleUrl: subsystemModule(spec.name), params: merged, datasetsDir: ctx.datasetsDir } } : {}),
    onStep: (s, diagnostics) => {
      if (Object.keys(diagnostics).length > 0) ctx.metrics(s.step + 1, diagnostics);
      ctx.progress({ epoch: s.epoch + 1, epochs, batch: s.batch + 1, batches });
    },
    onEpoch: (r, diagnostics) => ctx.metrics(r.epoch + 1, { ...epochMetrics(r), ...diagnostics }),
  });
  try {
    if (result.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted(spec.name);
    // Test results come from the best epoch's weights (the `best` checkpoint), not the last epoch's.
    const [{ currentRuntime }, { loadCheckpoint }] = await Promise.all([import('../ml/backend.js'), import('../ml/checkpoint.js')]);
    await loadCheckpoint((await currentRuntime()).tf, { dir: ctx.checkpointDir, tag: 'best', variables: model.variables });
    const test = await engine.evaluateTest(model, data, hp, ctx.datasetsDir);
    return {
      value: bestValue,
      result: { ...test, best_epoch: result.bestEpoch + 1, epochs_run: result.epochs.length, stopped_by: result.stoppedBy, backend, train_workers: trainWorkers },
    };
  } finally {
    model.dispose();
  }
}

/**
 * A `Subsystem` from its declaration, a hyperparameter parser and a lazily loaded engine.
 * @example
 * export default defineTrainingSubsystem({
 *   name: 'optimizer', metric: 'val_loss', direction: 'minimize', defaultSpace, defaults, datasets,
 *   parseHyperparams, loadEngine: async () => (await import('./engine.js')).optimizerEngine,
 * });
 */
export function defineTrainingSubsystem<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(spec: TrainingSubsystemSpec<H, D, B, M>): Subsystem {
  const { parseHyperparams: _p, loadEngine: _l, dataParallel, ...declaration } = spec;
  const sub: Subsystem = {
    ...declaration,
    objective: (params, ctx) => objective(spec, params, ctx),
    validateConfig: (config) => {
      parseFullConfig(spec, config);
    },
    fullTrain: (config, ctx) => fullTrain(spec, config, ctx),
    ...(dataParallel === true ? { trainReplica: async (job: ReplicaJob) => (await import('./data-parallel.js')).runReplica(spec, job) } : {}),
  };
  return Object.freeze(sub);
}
