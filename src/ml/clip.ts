import type { Tensor, Scalar } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from './backend.js';
import { fusedKernelActiveIn } from './kernels/fused-switch.js';

/**
 * Σ_t Σ_i t_i² read straight from host memory (wasm heap views, the cpu backend's arrays), in double precision:
 * in place of a Square and a Sum per tensor and an AddN (~100 kernels a step for cllm's 50 variables, twice a step
 * with the weight norm). Null where the tensors do not live in host memory or the fused kernels are off.
 */
function hostSumOfSquares(tf: Tf, tensors: readonly Tensor[]): number | null {
  const backend = tf.getBackend();
  if ((backend !== 'wasm' && backend !== 'cpu') || !fusedKernelActiveIn(tf, 'ParzenColumnSum') || tensors.some((t) => t.dtype !== 'float32')) return null;
  const engineBackend = tf.backend();
  let sum = 0;
  for (const t of tensors) {
    // No allocation happens between taking a wasm view and reading it, so heap growth cannot invalidate it.
    const values = (backend === 'wasm' ? (engineBackend as BackendWasm).typedArrayFromHeap(t) : engineBackend.readSync(t.dataId)) as Float32Array;
    for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  }
  return sum;
}

/**
 * Global L2 norm of a list of tensors: sqrt(Σ_t Σ_i t_i²) (the `global_norm` of TensorFlow's
 * `tf.clip_by_global_norm`). Returns a scalar tensor; call inside `tf.tidy`.
 */
export function globalNorm(tf: Tf, tensors: readonly Tensor[]): Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  const host = hostSumOfSquares(tf, tensors);
  if (host !== null) return tf.scalar(Math.sqrt(host));
  const squares = tensors.map((t) => tf.sum<Scalar>(tf.square(t)));
  return tf.sqrt(tf.addN(squares));
}

/**
 * Clip gradients by their global norm, as TensorFlow's `clip_by_global_norm` (Pascanu et al. 2013):
 * t ← t · clipNorm / max(globalNorm, clipNorm), which leaves them alone when the norm is within bounds and
 * rescales all of them together (keeping the update's direction) when it is not. `o.norm`: the global norm when
 * the caller has it already (the same float32 value globalNorm would give). Call inside `tf.tidy`.
 * @example
 * const { clipped, norm } = clipByGlobalNorm(tf, grads, 1.0);
 */
export function clipByGlobalNorm(tf: Tf, tensors: readonly Tensor[], clipNorm: number, o: { readonly norm?: number } = {}): { clipped: Tensor[]; norm: Scalar } {
  // A norm already read back (the loop checks it before clipping) is not computed again: a pass over every tensor.
  const norm = o.norm === undefined ? globalNorm(tf, tensors) : tf.scalar(o.norm);
  const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
  return { clipped: tensors.map((t) => tf.mul(t, scale)), norm };
}
