import type { Tensor, Variable } from '@tensorflow/tfjs';
import { TrainingError } from '../../errors.js';
import type { AdamOptions } from '../adam.js';
import type { Tf } from '../backend-choice.js';
import type { PhaseProfile } from '../phase-profile.js';
import type { DataParallel, TrainableModel } from '../train-types.js';
import type { GradientExchange } from './gradient-exchange.js';
import { checkReplicasIdentical, hostValues } from './reduce.js';
import { loadWeights, ShardedAdam } from './sharded-adam.js';

/**
 * One data-parallel replica's optimizer step, after its forward and backward pass on its share of the batch:
 *
 *   gradients → own slot · barrier · reduce own range of the mean (+ its Σ g²) · barrier · global norm, clip factor,
 *   AdamW over own range into the shared weights (+ its Σ w²) · barrier · load all the weights
 *
 * Three barriers a step (gradient-exchange.ts says why single buffers are safe). Nothing of the gradient's size is
 * allocated per step, the gradients are not turned back into tensors (only on demand, for a model that inspects
 * them), and the norms come from the replicas' partial sums, so no replica makes a pass over the whole vector
 * except the final load.
 */

type Pairs = Array<{ variable: Variable; grad: Tensor }>;

/** What the loop checks between the exchange and the update (it may throw to stop training before the update). */
export interface BeforeUpdate {
  readonly loss: number;
  readonly gradNorm: number;
  /** The mean gradients as tensors in the step's tidy scope, made on the first call (a view of shared memory until the next step). */
  grads(): Pairs;
}

export interface ReplicaStepOptions<B> {
  readonly model: TrainableModel<B>;
  readonly dp: DataParallel<B>;
  readonly update: ShardedAdam;
  readonly variables: readonly Variable[];
  readonly lr: number;
  readonly clipNorm: number | null;
  readonly profile: PhaseProfile | undefined;
  readonly beforeUpdate: (s: BeforeUpdate) => void;
}

export interface ReplicaStepStats {
  readonly loss: number;
  readonly gradNorm: number;
  readonly weightNorm: number;
  readonly clipped: boolean;
}

/**
 * Before the first step: check the replicas start from bit-identical weights (the loads make them identical from
 * the first step on, which would hide a bad start), then publish this replica's range of them.
 */
export function startShardedUpdate(tf: Tf, exchange: GradientExchange, variables: readonly Variable[], adam: AdamOptions): ShardedAdam {
  checkReplicasIdentical(exchange, variables);
  const update = new ShardedAdam(tf, variables, { range: exchange.range, weights: exchange.weights, adam });
  update.publishInitial();
  return update;
}

/** One step on `share` (call inside the step's tidy scope). */
export function replicaStep<B>(tf: Tf, share: B, o: ReplicaStepOptions<B>): ReplicaStepStats {
  const time = <T>(name: string, fn: () => T): T => (o.profile === undefined ? fn() : o.profile.time(name, fn));
  const { exchange } = o.dp;
  const examples = o.dp.examples?.(share) ?? 1;
  const local = time('forward+backward', () => (examples === 0 ? null : tf.variableGrads(() => o.model.loss(share, true), [...o.variables])));
  time('gradient copy to slot', () => copyToSlot(tf, exchange.slot, o.variables, local?.grads ?? {}));
  const localLoss = local === null ? 0 : time('loss read-back', () => local.value.dataSync()[0]);
  const mean = exchange.reduceMean(localLoss, examples, o.profile);
  const gradNorm = Math.fround(Math.sqrt(mean.sumOfSquares));
  let pairs: Pairs | null = null;
  o.beforeUpdate({ loss: mean.loss, gradNorm, grads: () => (pairs ??= uploadMean(tf, o.variables, mean.grad)) });
  const clipped = o.clipNorm !== null && gradNorm > o.clipNorm;
  const sq = time('optimizer update', () => o.update.step(mean.grad, o.lr, clipped && o.clipNorm !== null ? clipScale(o.clipNorm, gradNorm) : 1));
  const weightSq = time('barrier wait', () => exchange.shareWeights(sq));
  time('weight load', () => loadWeights(tf, o.variables, exchange.weights));
  return { loss: mean.loss, gradNorm, weightNorm: Math.fround(Math.sqrt(weightSq)), clipped };
}

/**
 * clip_by_global_norm's factor clipNorm / max(norm, clipNorm) as float32 arithmetic gives it (clip.ts computes it
 * with float32 scalar ops; a float32 division of float32 operands is the double quotient rounded once).
 */
export function clipScale(clipNorm: number, gradNorm: number): number {
  const c = Math.fround(clipNorm);
  return Math.fround(c / Math.max(Math.fround(gradNorm), c));
}

/** Every variable's gradient into the slot in variable order, zeros where the share gave none. */
function copyToSlot(tf: Tf, slot: Float32Array, variables: readonly Variable[], grads: Readonly<Record<string, Tensor>>): void {
  const total = variables.reduce((s, v) => s + v.size, 0);
  if (total !== slot.length) throw new TrainingError(`train workers: gradients of ${total} values, the exchange holds ${slot.length}`, { code: 'SHAPE' });
  let offset = 0;
  for (const v of variables) {
    const g = grads[v.name];
    if (g === undefined) slot.fill(0, offset, offset + v.size);
    else slot.set(hostValues(tf, g), offset);
    offset += v.size;
  }
}

/** The mean gradient as one tensor per variable (a copy: the shared result is rewritten next step). */
function uploadMean(tf: Tf, variables: readonly Variable[], mean: Float32Array): Pairs {
  let offset = 0;
  return variables.map((variable) => {
    const part = mean.slice(offset, offset + variable.size);
    offset += variable.size;
    return { variable, grad: tf.tensor(part, variable.shape, 'float32') };
  });
}
