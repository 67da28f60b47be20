import type { Tensor, Variable } from '@tensorflow/tfjs';
import { ConfigError, DatasetError, TrainingError } from '../errors.js';
import { Adam } from './adam.js';
import { checkReplicasIdentical } from './data-parallel/reduce.js';
import { replicaStep, startShardedUpdate } from './data-parallel/replica-step.js';
import type { ShardedAdam } from './data-parallel/sharded-adam.js';
import { currentRuntime, type Tf } from './backend.js';
import { saveCheckpoint } from './checkpoint.js';
import { clipByGlobalNorm, globalNorm } from './clip.js';
import { EarlyStopping } from './early-stopping.js';
import { lrAt, resolveLrSchedule, type LrSchedule } from './lr-schedule.js';
import { PhaseProfile, phaseProfileWanted } from './phase-profile.js';
import type { EpochRecord, StopReason, TrainableModel, TrainOptions, TrainResult } from './train-types.js';

interface StepStats {
  readonly loss: number;
  readonly gradNorm: number;
  readonly weightNorm: number;
  readonly clipped: boolean;
}

interface EpochStats {
  readonly trainLoss: number;
  readonly gradNorm: number;
  readonly lr: number;
  readonly steps: number;
  readonly aborted: boolean;
}

/** Everything one epoch's steps need besides the options. */
interface StepContext {
  readonly tf: Tf;
  readonly adam: Adam;
  /** Under data parallelism: the sharded AdamW update (data-parallel/sharded-adam.ts) in place of `adam`. */
  readonly sharded: ShardedAdam | undefined;
  readonly schedule: LrSchedule;
  readonly stepsPerEpoch: number;
  readonly firstStep: number;
  readonly epoch: number;
  /** PARZEN_PHASE_PROFILE=1: where this thread's step time goes (phase-profile.ts). */
  readonly profile: PhaseProfile | undefined;
}

/** `fn` as a phase of `profile`, or just `fn` when not profiling. */
function timed<T>(profile: PhaseProfile | undefined, name: string, fn: () => T): T {
  return profile === undefined ? fn() : profile.time(name, fn);
}

/**
 * Steps per epoch under a batch cap: the one place a tuning budget's `batchCap` takes effect. Callers that show
 * progress ask this instead of capping themselves.
 */
export function cappedBatchesPerEpoch(batchesPerEpoch: number, batchCap: number | null): number {
  return Math.min(batchesPerEpoch, batchCap ?? Number.POSITIVE_INFINITY);
}

/**
 * Train `model` with Adam under a warmup + cosine schedule stepped at every optimizer step, optional clipping
 * by global norm, early stopping on the validation loss, best/last checkpoints and per-epoch diagnostics.
 * Uses the runtime chosen by `initBackend` (auto when none was). A non-finite loss, gradient norm or
 * validation loss throws TrainingError (code NUMERIC) naming the epoch, the step and the quantity, before the
 * update touches the weights.
 * @example
 * const result = await train({
 *   model, trainBatches: (e) => data.batches(e), batchesPerEpoch: data.nBatches, valLoss: () => evaluate(model),
 *   epochs: 20, batchCap: null, learningRate: 3e-4, warmupFraction: 0.05, minLrRatio: 0.1, clipNorm: 1,
 *   earlyStopping: { patience: 3 }, checkpoint: { dir: 'studies/run-1' },
 * });
 */
export async function train<B>(o: TrainOptions<B>): Promise<TrainResult> {
  const { tf } = await currentRuntime();
  const stepsPerEpoch = validateTrainOptions(o);
  const schedule = resolveLrSchedule(o, o.epochs * stepsPerEpoch);
  const decays = o.model.decays?.bind(o.model);
  const lrScale = o.model.lrScale?.bind(o.model);
  const adamOptions = { ...o.adam, ...(decays === undefined ? {} : { decays }), ...(lrScale === undefined ? {} : { lrScale }) };
  const adam = new Adam(tf, adamOptions);
  const stopper = new EarlyStopping(o.earlyStopping ?? { patience: Number.POSITIVE_INFINITY, minDelta: 0 });
  const epochs: EpochRecord[] = [];
  let stoppedBy: StopReason = 'epochs';
  let step = 0;
  const profile = phaseProfileWanted() ? new PhaseProfile(o.dataParallel === undefined ? 'single worker' : `replica ${o.dataParallel.exchange.rank} of ${o.dataParallel.exchange.nWorkers}`) : undefined;
  try {
    const sharded = o.dataParallel === undefined ? undefined : startShardedUpdate(tf, o.dataParallel.exchange, o.model.variables, adamOptions);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const started = performance.now();
      const stats = runEpoch(o, { tf, adam, sharded, schedule, stepsPerEpoch, firstStep: step, epoch, profile });
      step += stats.steps;
      const reason = await endEpoch(o, { tf, stopper, epoch, stats, started, epochs });
      if (reason !== null) {
        stoppedBy = reason;
        break;
      }
    }
  } catch (e) {
    // A replica that fails wakes the others at once instead of leaving them to time out at the next barrier.
    o.dataParallel?.exchange.abort();
    throw e;
  } finally {
    adam.dispose();
    profile?.write();
  }
  return { epochs, bestEpoch: stopper.bestEpoch, bestValLoss: stopper.best, stoppedEarly: stoppedBy !== 'epochs', stoppedBy, steps: step };
}

const VERDICTS: readonly (StopReason | null)[] = [null, 'early', 'pruned', 'signal'];

/** What the epoch-end code needs besides the options. */
interface EpochEnd {
  readonly tf: Tf;
  readonly stopper: EarlyStopping;
  readonly epoch: number;
  readonly stats: EpochStats;
  readonly started: number;
  readonly epochs: EpochRecord[];
}

/**
 * After an epoch's steps: validate, record, checkpoint and decide whether to stop. Under data parallelism the
 * replicas are first checked bit-identical, and only rank 0 (the leader) validates, checkpoints and reports; the
 * others adopt its validation value (so their early stopping agrees) and its verdict.
 */
async function endEpoch<B>(o: TrainOptions<B>, e: EpochEnd): Promise<StopReason | null> {
  if (e.stats.aborted) return 'signal';
  const exchange = o.dataParallel?.exchange;
  if (exchange === undefined) return (await validateEpoch(o, e)).reason;
  checkReplicasIdentical(exchange, o.model.variables);
  if (exchange.rank !== 0) {
    const agreed = exchange.agreeEpoch(null);
    e.stopper.update(e.epoch, agreed.valLoss);
    return VERDICTS[agreed.verdict] ?? null;
  }
  const { reason, valLoss } = await validateEpoch(o, e);
  exchange.agreeEpoch({ valLoss, verdict: VERDICTS.indexOf(reason) });
  return reason;
}

async function validateEpoch<B>(o: TrainOptions<B>, e: EpochEnd): Promise<{ reason: StopReason | null; valLoss: number }> {
  const { tf, stopper, epoch, stats } = e;
  const valLoss = await o.valLoss(epoch);
  if (!Number.isFinite(valLoss)) throw new TrainingError(`epoch ${epoch}: validation loss is ${valLoss} (non-finite); the model diverged, lower learning_rate or set clipNorm`);
  const record: EpochRecord = {
    epoch, trainLoss: stats.trainLoss, valLoss, lr: stats.lr, weightNorm: readNorm(tf, o.model.variables),
    gradNorm: stats.gradNorm, steps: stats.steps, seconds: (performance.now() - e.started) / 1000,
  };
  e.epochs.push(record);
  const improved = stopper.update(epoch, valLoss);
  if (o.checkpoint !== undefined) await writeCheckpoints(tf, o, record, improved);
  await o.onEpoch?.(record);
  return { reason: stopReason(o, stopper), valLoss };
}

function stopReason<B>(o: TrainOptions<B>, stopper: EarlyStopping): StopReason | null {
  if (stopper.shouldStop) return 'early';
  if (o.shouldStop?.() === true) return 'pruned';
  if (o.signal?.aborted === true) return 'signal';
  return null;
}

async function writeCheckpoints<B>(tf: Tf, o: TrainOptions<B>, r: EpochRecord, improved: boolean): Promise<void> {
  const dir = o.checkpoint?.dir ?? '';
  const base = { dir, variables: o.model.variables, epoch: r.epoch, valLoss: r.valLoss };
  if (improved) await saveCheckpoint(tf, { ...base, tag: 'best' });
  await saveCheckpoint(tf, { ...base, tag: 'last' });
}

/** Steps of one epoch, synchronous: the data source's iterator is closed even when a step throws. */
function runEpoch<B>(o: TrainOptions<B>, c: StepContext): EpochStats {
  const it = o.trainBatches(c.epoch)[Symbol.iterator]();
  let lossSum = 0;
  let gradSum = 0;
  let lr = 0;
  let n = 0;
  try {
    for (; n < c.stepsPerEpoch; n++) {
      // Under data parallelism a replica may not leave mid-epoch alone (the others would wait at the exchange):
      // the signal is heard at the epoch's end, through the leader's verdict.
      if (o.dataParallel === undefined && o.signal?.aborted === true) return { trainLoss: lossSum / Math.max(1, n), gradNorm: gradSum / Math.max(1, n), lr, steps: n, aborted: true };
      lr = lrAt(c.firstStep + n, c.schedule);
      const s = timed(c.profile, 'step', () => trainStep(o, c, it, lr, c.firstStep + n));
      if (s === null) break;
      lossSum += s.loss;
      gradSum += s.gradNorm;
      timed(c.profile, 'onStep', () => o.onStep?.({ epoch: c.epoch, step: c.firstStep + n, batch: n, lr, ...s }));
      c.profile?.endStep();
    }
  } finally {
    it.return?.();
  }
  if (n === 0) throw new DatasetError(`epoch ${c.epoch}: trainBatches yielded no batches; check the training split is not empty`);
  return { trainLoss: lossSum / n, gradNorm: gradSum / n, lr, steps: n, aborted: false };
}

/**
 * One optimizer step inside a tidy scope. The batch is drawn from the iterator inside the scope too, so
 * tensors a generator creates for this batch are freed with the step's intermediates; tensors built before
 * (a pre-batched dataset) are untouched. Loss and gradient norm are read back and checked before the update.
 */
function trainStep<B>(o: TrainOptions<B>, c: StepContext, it: Iterator<B>, lr: number, step: number): StepStats | null {
  const { tf } = c;
  const box: { stats: StepStats | null } = { stats: null };
  const p = c.profile;
  const clipNorm = o.clipNorm ?? null;
  tf.tidy(() => {
    const next = timed(p, 'batch', () => it.next());
    if (next.done === true) return;
    const variables = [...o.model.variables];
    const dp = o.dataParallel;
    if (dp !== undefined && c.sharded !== undefined) {
      box.stats = replicaStep(tf, next.value, {
        model: o.model, dp, update: c.sharded, variables, lr, clipNorm, profile: p,
        beforeUpdate: (s) => checkBeforeUpdate(tf, o, { epoch: c.epoch, step, loss: s.loss, gradNorm: s.gradNorm, grads: s.grads }),
      });
      return;
    }
    const { pairs, loss: value } = timed(p, 'forward+backward', () => localGradients(tf, o.model, next.value, variables));
    const [loss, gradNorm] = timed(p, 'norm+loss read-back', () => tf.stack([value, globalNorm(tf, pairs.map((q) => q.grad))]).dataSync());
    checkBeforeUpdate(tf, o, { epoch: c.epoch, step, loss, gradNorm, grads: () => pairs });
    const clipped = clipNorm !== null && gradNorm > clipNorm;
    const applied = timed(p, 'clip', () => (clipped ? clipByGlobalNorm(tf, pairs.map((q) => q.grad), clipNorm, { norm: gradNorm }).clipped : pairs.map((q) => q.grad)));
    timed(p, 'optimizer update', () => c.adam.apply(pairs.map((q, i) => ({ variable: q.variable, grad: applied[i] })), lr));
    const weightNorm = o.onStep === undefined ? Number.NaN : timed(p, 'weight norm', () => globalNorm(tf, variables).dataSync()[0]);
    box.stats = { loss, gradNorm, weightNorm, clipped };
  });
  return box.stats;
}

type Pairs = Array<{ variable: Variable; grad: Tensor }>;

/**
 * Loss and gradient norm finite, and the model's own look at the gradients: before the update touches the weights.
 * `grads` is called only where needed (a data-parallel replica makes the tensors on demand).
 */
function checkBeforeUpdate<B>(tf: Tf, o: TrainOptions<B>, s: { epoch: number; step: number; loss: number; gradNorm: number; grads: () => Pairs }): void {
  if (!Number.isFinite(s.loss)) throw numericError(s.epoch, s.step, `training loss is ${s.loss}`);
  if (!Number.isFinite(s.gradNorm)) throw numericError(s.epoch, s.step, `gradient norm is ${s.gradNorm}${nonFiniteVariables(tf, s.grads())}`);
  o.model.inspectGradients?.({ epoch: s.epoch, step: s.step, get grads() { return s.grads(); } });
}

function localGradients<B>(tf: Tf, model: TrainableModel<B>, batch: B, variables: Variable[]): { pairs: Pairs; loss: Tensor } {
  const local = tf.variableGrads(() => model.loss(batch, true), variables);
  return { pairs: variables.filter((v) => local.grads[v.name] !== undefined).map((v) => ({ variable: v, grad: local.grads[v.name] })), loss: local.value };
}

function numericError(epoch: number, step: number, what: string): TrainingError {
  return new TrainingError(`epoch ${epoch}, step ${step}: ${what} (non-finite); lower learning_rate, set clipNorm, or check the batch for NaN inputs`);
}

/** Only on the failure path: name the variables whose gradients went non-finite. */
function nonFiniteVariables(tf: Tf, pairs: ReadonlyArray<{ variable: Variable; grad: Tensor }>): string {
  const bad = pairs.filter((p) => !Number.isFinite(tf.sum(tf.square(p.grad)).dataSync()[0])).map((p) => p.variable.name);
  return bad.length === 0 ? '' : ` (non-finite in ${bad.join(', ')})`;
}

function readNorm(tf: Tf, variables: readonly Variable[]): number {
  const t = tf.tidy(() => globalNorm(tf, [...variables]));
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

/** Validate the loop's own options (the schedule's are checked by resolveLrSchedule); returns steps per epoch. */
function validateTrainOptions<B>(o: TrainOptions<B>): number {
  const positiveInt = (name: string, v: number): void => {
    if (!(Number.isInteger(v) && v >= 1)) throw new ConfigError(`${name}: must be an integer ≥ 1, got ${v}`);
  };
  positiveInt('epochs', o.epochs);
  positiveInt('batchesPerEpoch', o.batchesPerEpoch);
  if (o.batchCap !== null) positiveInt('batchCap', o.batchCap);
  if (o.clipNorm != null && !(Number.isFinite(o.clipNorm) && o.clipNorm > 0)) throw new ConfigError(`clipNorm: must be a finite number > 0 (or null for no clipping), got ${o.clipNorm}`);
  if (o.earlyStopping !== undefined) {
    positiveInt('earlyStopping.patience', o.earlyStopping.patience);
    const d = o.earlyStopping.minDelta ?? 0;
    if (!(Number.isFinite(d) && d >= 0)) throw new ConfigError(`earlyStopping.minDelta: must be a finite number ≥ 0, got ${d}`);
  }
  if (o.model.variables.length === 0) throw new ConfigError('model.variables: the model has no variables to train');
  return cappedBatchesPerEpoch(o.batchesPerEpoch, o.batchCap);
}
