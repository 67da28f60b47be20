import type { Tensor, Scalar } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/**
 * Global L2 norm of a list of tensors: sqrt(Σ_t Σ_i t_i²) (the `global_norm` of TensorFlow's
 * `tf.clip_by_global_norm`). Returns a scalar tensor; call inside `tf.tidy`.
 */
export function globalNorm(tf: Tf, tensors: readonly Tensor[]): Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  const squares = tensors.map((t) => tf.sum<Scalar>(tf.square(t)));
  return tf.sqrt(tf.addN(squares));
}

/**
 * Clip gradients by their global norm, as TensorFlow's `clip_by_global_norm` (Pascanu et al. 2013):
 * t ← t · clipNorm / max(globalNorm, clipNorm), which leaves them alone when the norm is within bounds and
 * rescales all of them together (keeping the update's direction) when it is not. Call inside `tf.tidy`.
 * @example
 * const { clipped, norm } = clipByGlobalNorm(tf, grads, 1.0);
 */
export function clipByGlobalNorm(tf: Tf, tensors: readonly Tensor[], clipNorm: number): { clipped: Tensor[]; norm: Scalar } {
  const norm = globalNorm(tf, tensors);
  const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
  return { clipped: tensors.map((t) => tf.mul(t, scale)), norm };
}
