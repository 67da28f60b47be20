import type { GradientExchange } from './data-parallel/gradient-exchange.js';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { AdamOptions } from './adam.js';
import type { LrScheduleOptions } from './lr-schedule.js';

/**
 * What `train` optimises. The model owns its variables; `loss` builds the forward pass for one batch and is
 * called inside the loop's gradient tape and tidy scope (so its intermediates are freed after each step).
 */
export interface TrainableModel<B> {
  readonly variables: readonly Variable[];
  /** Mean loss over the batch; `training` switches dropout and the like. */
  loss(batch: B, training: boolean): Scalar;
  /** Whether AdamW decays `variable` (e.g. only 2-D weights); absent: every variable is decayed. */
  decays?(variable: Variable): boolean;
  /** The learning rate of `variable` as a multiple of the schedule's (0 freezes it); absent: 1 for every variable. */
  lrScale?(variable: Variable): number;
  /**
   * Sees each step's gradients (before clipping and the update) inside the step's tidy scope; may throw (a
   * TrainingError) to stop training, e.g. when a group of weights gets no gradient at all.
   */
  inspectGradients?(s: GradientSnapshot): void;
}

/** One step's raw gradients, for `TrainableModel.inspectGradients`. */
export interface GradientSnapshot {
  readonly epoch: number;
  /** 0-based optimizer step over the whole run. */
  readonly step: number;
  readonly grads: ReadonlyArray<{ readonly variable: Variable; readonly grad: Tensor }>;
}

/** Per-step diagnostics, given to `onStep` after the update. */
export interface StepInfo {
  readonly epoch: number;
  /** 0-based optimizer step over the whole run. */
  readonly step: number;
  /** 0-based batch within the epoch. */
  readonly batch: number;
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Global weight norm after the update. */
  readonly weightNorm: number;
  readonly clipped: boolean;
}

/** One finished epoch. */
export interface EpochRecord {
  /** 0-based. */
  readonly epoch: number;
  /** Mean training loss over the epoch's steps. */
  readonly trainLoss: number;
  readonly valLoss: number;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  /** Global weight norm at the end of the epoch. */
  readonly weightNorm: number;
  /** Mean global gradient norm (before clipping) over the epoch's steps. */
  readonly gradNorm: number;
  readonly steps: number;
  readonly seconds: number;
}

export interface EarlyStoppingOptions {
  /** Epochs without an improvement larger than `minDelta` before stopping. */
  readonly patience: number;
  /** Smallest decrease of the validation loss that counts as an improvement (Keras semantics). */
  readonly minDelta?: number;
}

export interface TrainOptions<B> extends LrScheduleOptions {
  readonly model: TrainableModel<B>;
  /** Batches of one epoch; the data source shuffles per epoch with its own seed. */
  trainBatches(epoch: number): Iterable<B>;
  /** How many batches `trainBatches` yields per epoch (sizes the cosine schedule). */
  readonly batchesPerEpoch: number;
  /** Mean validation loss of the current weights. */
  valLoss(epoch: number): Promise<number> | number;
  readonly epochs: number;
  /** At most this many batches per epoch; null = all. */
  readonly batchCap: number | null;
  /** Clip gradients to this global L2 norm; null/undefined = no clipping. */
  readonly clipNorm?: number | null;
  readonly adam?: AdamOptions;
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Write `best` and `last` checkpoints under this folder. */
  readonly checkpoint?: { readonly dir: string };
  onStep?(info: StepInfo): void;
  onEpoch?(record: EpochRecord): void | Promise<void>;
  /** Checked after each epoch's validation: the pruner's verdict or an interrupt. */
  shouldStop?(): boolean;
  /** Checked between steps; an aborted signal ends training after the current step. */
  /**
   * Data-parallel training: this replica's gradients and loss are averaged with the other replicas' every step
   * (ml/data-parallel/), weighted by each share's examples, and the replicas' weights are checked bit-identical
   * before the first step and after every epoch. The AdamW update is sharded: each replica updates its range of the
   * flat parameters on the host and the weights are shared back (ml/data-parallel/sharded-adam.ts; `adam.fused`
   * does not apply there). Every replica runs the same number of steps on its own share of each batch. Only rank 0
   * validates (`valLoss`), checkpoints and hears `shouldStop` and `signal`; the others adopt its verdict.
   */
  readonly dataParallel?: DataParallel<B>;
  readonly signal?: AbortSignal;
}

/** A replica's part in data-parallel training (TrainOptions.dataParallel). */
export interface DataParallel<B> {
  readonly exchange: GradientExchange;
  /**
   * Examples in this replica's share of the batch: the weight of its gradient in the mean (absent: 1, equal
   * shares). 0 marks an empty share (a short last batch): the replica contributes nothing and `loss` is not called.
   */
  examples?(share: B): number;
}

export type StopReason = 'epochs' | 'early' | 'pruned' | 'signal';

export interface TrainResult {
  readonly epochs: readonly EpochRecord[];
  /** Epoch with the best validation loss (-1 when no epoch finished). */
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly stoppedEarly: boolean;
  readonly stoppedBy: StopReason;
  readonly steps: number;
}
