import type { KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../backend-choice.js';
import { CPU_FALLBACK_KERNELS, cpuFallbackKernel } from './cpu-fallback.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

/** Kernels written for wasm that parzen's models need (each tested against the cpu backend). */
export const WASM_KERNEL_SHIMS: readonly KernelConfig[] = [unsortedSegmentSumWasmConfig];

/**
 * Register the shims once per engine: the dedicated JS kernels, then cpu fallbacks for the rest. A kernel
 * that a later tfjs release ships natively is left alone: `getKernel` finds it and the shim is skipped.
 */
export function registerWasmKernelShims(tf: Tf): void {
  const configs = [...WASM_KERNEL_SHIMS, ...CPU_FALLBACK_KERNELS.map((name) => cpuFallbackKernel(tf, name))];
  for (const config of configs) {
    if (config !== null && tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
}
