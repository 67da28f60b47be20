import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../backend-choice.js';
import type { PhaseProfile } from '../phase-profile.js';
import type { GradientExchange } from './gradient-exchange.js';

/**
 * Replace this replica's gradients and loss by their means over all replicas, weighted by each replica's number
 * of examples (gradient-exchange.ts). Called by
 * the training loop inside the step's tidy scope, so the tensors made here are freed with the step.
 */
export function allReduceGradients(
  tf: Tf,
  exchange: GradientExchange,
  pairs: ReadonlyArray<{ variable: Variable; grad: Tensor }>,
  loss: Tensor,
  o: { readonly examples?: number; readonly profile?: PhaseProfile | undefined } = {},
): { pairs: Array<{ variable: Variable; grad: Tensor }>; loss: Scalar } {
  const time = <T>(name: string, fn: () => T): T => (o.profile === undefined ? fn() : o.profile.time(name, fn));
  const flat = time('gradient copy out', () => {
    const out = new Float32Array(pairs.reduce((s, p) => s + p.grad.size, 0));
    let offset = 0;
    for (const p of pairs) {
      out.set(p.grad.dataSync() as Float32Array, offset);
      offset += p.grad.size;
    }
    return out;
  });
  const localLoss = time('loss read-back', () => loss.dataSync()[0]);
  const mean = exchange.allReduceMean(flat, localLoss, o.examples ?? 1, o.profile);
  return time('gradient upload', () => {
    let offset = 0;
    const averaged = pairs.map((p) => {
      const grad = tf.tensor(mean.grad.subarray(offset, offset + p.grad.size), p.grad.shape, 'float32');
      offset += p.grad.size;
      return { variable: p.variable, grad };
    });
    return { pairs: averaged, loss: tf.scalar(mean.loss) };
  });
}

/** Throw unless every replica's weights are bit-identical to replica 0's (checked once per epoch by the loop). */
export function checkReplicasIdentical(exchange: GradientExchange, variables: readonly Variable[]): void {
  const flat = new Float32Array(variables.reduce((s, v) => s + v.size, 0));
  let offset = 0;
  for (const v of variables) {
    flat.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  exchange.checkReplicas(flat);
}
