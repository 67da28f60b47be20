import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActiveIn } from './fused-switch.js';

export { useFusedKernels } from './fused-switch.js';

/** True when `kernelName` is registered for the current backend and the fused kernels are on. */
export function fusedKernelActive(kernelName: string): boolean {
  return fusedKernelActiveIn(tf, kernelName);
}

/** Runs a registered fused kernel; inputs by name, as the kernel's `inputs` list them. */
export function runFused(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
