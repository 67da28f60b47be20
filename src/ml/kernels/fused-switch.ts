import { ConfigError } from '../../errors.js';

/**
 * Whether the fused host kernels (fused-*.ts) replace the stock op chains they were checked against. On by default
 * where the current backend has them (wasm and cpu); the `tensorflow` backend keeps the stock ops. PARZEN_FUSED=0
 * turns them off for a before/after measurement; tests switch them with `useFusedKernels`. This module loads no
 * TensorFlow.js, so the training loop can ask it without making `import 'src/ml'` load tfjs (`tune --help`).
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

/** True unless PARZEN_FUSED=0 or `useFusedKernels(false)` turned the fused kernels off. */
export function fusedKernelsOn(): boolean {
  enabled ??= fromEnv();
  return enabled;
}

/** The two calls of a TensorFlow.js module that say whether a kernel is registered for the current backend. */
interface KernelRegistry {
  getBackend(): string;
  getKernel(kernelName: string, backendName: string): unknown;
}

/**
 * True when the fused kernels are on and `kernelName` is registered for `tf`'s current backend. Takes the caller's
 * TensorFlow.js module, so code that must not load tfjs-core itself (clip.ts, given the runtime's `tf`) asks the
 * same question as the layers do through `fusedKernelActive`.
 */
export function fusedKernelActiveIn(tf: KernelRegistry, kernelName: string): boolean {
  return fusedKernelsOn() && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
