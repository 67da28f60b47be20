import type { KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../backend-choice.js';
import { CPU_FALLBACK_KERNELS, cpuFallbackKernel } from './cpu-fallback.js';
import { biasAddKernel } from './fused-bias-add.js';
import { linearGradKernel, linearKernel, productKernel } from './fused-linear.js';
import { attentionCoreGradKernel, attentionCoreKernel } from './fused-attention-core.js';
import { normProductGradKernel, normProductKernel } from './fused-norm-product.js';
import { mergeHeadsKernel, packQkvGradKernel, splitQkvBiasKernel, splitRowsKernel } from './fused-attention-heads.js';
import { causalSoftmaxGradKernel, causalSoftmaxKernel } from './fused-causal-softmax.js';
import { columnSumKernel } from './fused-column-sum.js';
import { gatherRowsKernel } from './fused-gather-rows.js';
import { gatv2ScoresGradKernel, gatv2ScoresKernel } from './fused-gatv2-scores.js';
import { biasGeluGradKernel, biasGeluKernel } from './fused-gelu.js';
import { layerNormGradKernel, layerNormKernel } from './fused-layer-norm.js';
import { segmentSoftmaxGradKernel, segmentSoftmaxKernel } from './fused-segment-softmax.js';
import { weightedSegmentSumGradKernel, weightedSegmentSumKernel } from './fused-weighted-segment-sum.js';
import { splitHeadsGradKernel, splitHeadsKernel } from './fused-split-heads.js';
import { hostKernelConfigs } from './host-kernel.js';
import { identitySharedWasmConfig } from './identity.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

/** Kernels written for wasm that parzen's models need (each tested against the cpu backend). */
export const WASM_KERNEL_SHIMS: readonly KernelConfig[] = [unsortedSegmentSumWasmConfig];

/** parzen's own fused kernels (ml/layers/* call them where registered), for the wasm and the cpu backend. */
export const FUSED_HOST_KERNELS: readonly KernelConfig[] = [
  layerNormKernel, layerNormGradKernel, biasGeluKernel, biasGeluGradKernel,
  causalSoftmaxKernel, causalSoftmaxGradKernel, gatv2ScoresKernel, gatv2ScoresGradKernel, splitHeadsKernel, splitHeadsGradKernel, gatherRowsKernel, columnSumKernel,
  segmentSoftmaxKernel, segmentSoftmaxGradKernel, weightedSegmentSumKernel, weightedSegmentSumGradKernel,
  splitQkvBiasKernel, packQkvGradKernel, mergeHeadsKernel, splitRowsKernel, biasAddKernel,
  linearKernel, productKernel, linearGradKernel, attentionCoreKernel, attentionCoreGradKernel,
  normProductKernel, normProductGradKernel,
].flatMap(hostKernelConfigs);

/** Kernels that replace the wasm backend's own, because its version is slower for the same result. */
export const WASM_KERNEL_REPLACEMENTS: readonly KernelConfig[] = [identitySharedWasmConfig];

/**
 * Register the shims once per engine: the dedicated JS kernels, parzen's fused kernels, then cpu fallbacks for the rest. A kernel
 * that a later tfjs release ships natively is left alone: `getKernel` finds it and the shim is skipped.
 * Replacements are swapped in over the stock kernel (once; a second call finds them in place).
 */
export function registerWasmKernelShims(tf: Tf): void {
  const configs = [...WASM_KERNEL_SHIMS, ...FUSED_HOST_KERNELS, ...CPU_FALLBACK_KERNELS.map((name) => cpuFallbackKernel(tf, name))];
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
