import type { KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

/** Kernels the wasm backend lacks that parzen's models need (each tested against the cpu backend). */
export const WASM_KERNEL_SHIMS: readonly KernelConfig[] = [unsortedSegmentSumWasmConfig];

/**
 * Register the shims once per engine. A kernel that a later tfjs release ships natively is left alone:
 * `getKernel` finds it and the shim is skipped.
 */
export function registerWasmKernelShims(tf: Tf): void {
  for (const config of WASM_KERNEL_SHIMS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
}
