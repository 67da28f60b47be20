import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../errors.js';

/**
 * Whether the fused host kernels (fused-*.ts) replace the stock op chains they were checked against. On by default
 * where the current backend has them (wasm and cpu); the `tensorflow` backend keeps the stock ops. PARZEN_FUSED=0
 * turns them off for a before/after measurement; tests switch them with `useFusedKernels`.
 */
let enabled: boolean | null = null;

function fromEnv(): boolean {
  const raw = process.env['PARZEN_FUSED'];
  if (raw === undefined || raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new ConfigError(`PARZEN_FUSED: expected 0 (stock ops) or 1 (fused kernels), got '${raw}'; unset it for the fused kernels`, { code: 'USAGE' });
}

/** Turns the fused kernels on or off for this thread (tests compare both paths on the same inputs). */
export function useFusedKernels(on: boolean): void {
  enabled = on;
}

/** True when `kernelName` is registered for the current backend and the fused kernels are on. */
export function fusedKernelActive(kernelName: string): boolean {
  enabled ??= fromEnv();
  return enabled && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Runs a registered fused kernel; inputs by name, as the kernel's `inputs` list them. */
export function runFused(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
