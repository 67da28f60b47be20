import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import type { Tf } from '../backend-choice.js';
import type { PhaseProfile } from '../phase-profile.js';
import type { GradientExchange } from './gradient-exchange.js';

/**
 * Replace this replica's gradients and loss by their means over all replicas, weighted by each replica's number
 * of examples (gradient-exchange.ts); `read` gives the mean loss and the mean's global norm as numbers (as float32,
 * what reading back a scalar would give), so the loop needs no norm pass and no read-back. Called by
 * the training loop inside the step's tidy scope, so the tensors made here are freed with the step.
 */
export function allReduceGradients(
  tf: Tf,
  exchange: GradientExchange,
  pairs: ReadonlyArray<{ variable: Variable; grad: Tensor }>,
  loss: Tensor,
  o: { readonly examples?: number; readonly profile?: PhaseProfile | undefined } = {},
): { pairs: Array<{ variable: Variable; grad: Tensor }>; loss: Scalar; read: { loss: number; gradNorm: number } } {
  const time = <T>(name: string, fn: () => T): T => (o.profile === undefined ? fn() : o.profile.time(name, fn));
  const slot = exchange.slot;
  const total = pairs.reduce((s, p) => s + p.grad.size, 0);
  if (total !== slot.length) throw new TrainingError(`train workers: gradients of ${total} values, the exchange holds ${slot.length}`, { code: 'SHAPE' });
  time('gradient copy to slot', () => {
    let offset = 0;
    for (const p of pairs) {
      slot.set(hostValues(tf, p.grad), offset);
      offset += p.grad.size;
    }
  });
  const localLoss = time('loss read-back', () => loss.dataSync()[0]);
  const mean = exchange.reduceMean(localLoss, o.examples ?? 1, o.profile);
  return time('gradient upload', () => {
    // The mean is a view of shared memory rewritten next step: the wasm backend copies it into its heap at
    // tf.tensor, other backends may keep the array they are given, so they get a copy.
    const copy = tf.getBackend() !== 'wasm';
    let offset = 0;
    const averaged = pairs.map((p) => {
      const part = mean.grad.subarray(offset, offset + p.grad.size);
      offset += p.grad.size;
      return { variable: p.variable, grad: tf.tensor(copy ? part.slice() : part, p.grad.shape, 'float32') };
    });
    return { pairs: averaged, loss: tf.scalar(mean.loss), read: { loss: mean.loss, gradNorm: Math.fround(Math.sqrt(mean.sumOfSquares)) } };
  });
}

/**
 * A float32 tensor's values without a copy where they already sit in host memory (the wasm heap); read at once,
 * before anything allocates (heap growth would detach the view). Elsewhere a downloaded copy.
 */
export function hostValues(tf: Tf, t: Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new TrainingError(`train workers: a ${t.dtype} gradient cannot be averaged; gradients must be float32`, { code: 'SHAPE' });
  if (tf.getBackend() === 'wasm') return (tf.backend() as unknown as BackendWasm).typedArrayFromHeap(t) as Float32Array;
  return t.dataSync() as Float32Array;
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
