import * as tf from '@tensorflow/tfjs-core';

/**
 * Saving tensors for a custom gradient without a kernel per tensor.
 *
 * tfjs' `save` (engine.runKernelFunc, tfjs-core 4.22) keeps `engine.clone(t)` of every tensor it is given, and the
 * engine disposes those clones after the backward pass. A clone runs the Identity kernel through the whole
 * dispatch (kernel lookup, scope, tracking, profiling hooks) and adds a tape node: on the cllm, 118 of a training
 * step's 354 kernels were such clones, ~35 µs each of engine bookkeeping that every data-parallel replica pays in
 * full while its arithmetic halves. On the host-memory backends a clone is only one more reference to the same
 * buffer (kernels/identity.ts shares it on wasm; cpu's Identity does too), so the same tensor can be made without
 * the kernel: `incRef` on the backend and a tensor over the same dataId, which is what wasm's Reshape returns.
 * tfjs never writes a tensor's buffer after the kernel that made it returns (the one in-place writer,
 * kernels/adam-update.ts, runs after the engine has disposed every saved tensor and checks the reference count).
 */

interface BufferSharing {
  incRef(dataId: object): void;
}

interface CloningEngine {
  clone(x: tf.Tensor): tf.Tensor;
}

function sharingBackend(): BufferSharing | null {
  const backend = tf.backend() as unknown as Partial<BufferSharing>;
  return typeof backend.incRef === 'function' ? (backend as BufferSharing) : null;
}

/**
 * A new tensor over `x`'s buffer (one more reference to it), made without running a kernel and without a tape
 * node: a gradient through it is not recorded, so use it for saved tensors and for gradients handed back as they
 * are (a custom gradient must return tensors of its own, which the engine may dispose). Falls back to `tf.clone`
 * on a backend that cannot share buffers.
 * @example gradFunc: (dy) => [shareBuffer(dy), columnSum(dy)] // x + b: dx is dy
 */
export function shareBuffer<T extends tf.Tensor>(x: T): T {
  const backend = sharingBackend();
  if (backend === null) return tf.clone(x);
  backend.incRef(x.dataId);
  return tf.engine().makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }) as T;
}

/**
 * `save(tensors)` of a custom gradient, with the engine's clone of each tensor made by `shareBuffer` (no Identity
 * kernel): the engine keeps and later disposes them exactly as it does its own clones. The swap lasts for this one
 * synchronous call. Saved tensors carry no tape node, so second-order gradients through them are not recorded (no
 * parzen model takes one; the fused kernels have no gradients of their own either).
 * @example saveShared(save, [xIn, gIn])
 */
export function saveShared(save: tf.GradSaveFunc, tensors: tf.Tensor[]): void {
  if (sharingBackend() === null) return save(tensors);
  const engine = tf.engine() as unknown as CloningEngine;
  engine.clone = shareBuffer;
  try {
    save(tensors);
  } finally {
    delete (engine as Partial<CloningEngine>).clone;
  }
}
