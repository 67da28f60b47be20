import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../backend-choice.js';
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
  examples = 1,
): { pairs: Array<{ variable: Variable; grad: Tensor }>; loss: Scalar } {
  const total = pairs.reduce((s, p) => s + p.grad.size, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const p of pairs) {
    flat.set(p.grad.dataSync() as Float32Array, offset);
    offset += p.grad.size;
  }
  const mean = exchange.allReduceMean(flat, loss.dataSync()[0], examples);
  offset = 0;
  const averaged = pairs.map((p) => {
    const grad = tf.tensor(mean.grad.subarray(offset, offset + p.grad.size), p.grad.shape, 'float32');
    offset += p.grad.size;
    return { variable: p.variable, grad };
  });
  return { pairs: averaged, loss: tf.scalar(mean.loss) };
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
