import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import type { Tf } from '../backend-choice.js';
import type { GradientExchange } from './gradient-exchange.js';

/** Host-side helpers of the replicas' step (replica-step.ts): heap views of tensors, and the replica check. */

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
