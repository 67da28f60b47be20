import type { KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../backend-choice.js';
import { CPU_FALLBACK_KERNELS, cpuFallbackKernel } from './cpu-fallback.js';
import { identitySharedWasmConfig } from './identity.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

/** Kernels written for wasm that parzen's models need (each tested against the cpu backend). */
export const WASM_KERNEL_SHIMS: readonly KernelConfig[] = [unsortedSegmentSumWasmConfig];

/** Kernels that replace the wasm backend's own, because its version is slower for the same result. */
export const WASM_KERNEL_REPLACEMENTS: readonly KernelConfig[] = [identitySharedWasmConfig];

/**
 * Register the shims once per engine: the dedicated JS kernels, then cpu fallbacks for the rest. A kernel
 * that a later tfjs release ships natively is left alone: `getKernel` finds it and the shim is skipped.
 * Replacements are swapped in over the stock kernel (once; a second call finds them in place).
 */
export function registerWasmKernelShims(tf: Tf): void {
  const configs = [...WASM_KERNEL_SHIMS, ...CPU_FALLBACK_KERNELS.map((name) => cpuFallbackKernel(tf, name))];
  for (const config of configs) {
    if (config !== null && tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of WASM_KERNEL_REPLACEMENTS) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
