import { nativeBlas } from './native-blas.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Matrix products inside host kernels (fused-linear.ts, fused-attention-core.ts): the addon's sgemm with the
 * arguments the native BatchMatMul kernel passes it (native-matmul.ts), so a fused kernel's products equal the
 * unfused layers' bit for bit. Without the addon, or with its C kernels switched off (PARZEN_NATIVE_KERNELS=0,
 * useNativeKernels), a plain loop computes them: the layers then keep their unfused path, and tests reach the loop.
 */

/** The product's sizes: `batch` slices of op(a) m×k times op(b) k×n. */
export interface GemmDims {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** out[i] = op(a[i])·op(b[i]) for i < batch, row-major, op the transpose where flagged. */
export function hostGemm(a: Float32Array, b: Float32Array, out: Float32Array, d: GemmDims, tA: boolean, tB: boolean): void {
  const { batch, m, n, k } = d;
  const blas = nativeKernels() !== null ? nativeBlas() : null;
  if (blas !== null) return blas.sgemmBatched(a, b, out, batch, batch, m, n, k, tA, tB);
  for (let s = 0; s < batch; s++) {
    const oa = s * m * k;
    const ob = s * k * n;
    const oo = s * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (tA ? a[oa + p * m + i] : a[oa + i * k + p]) * (tB ? b[ob + j * k + p] : b[ob + p * n + j]);
        out[oo + i * n + j] = sum;
      }
    }
  }
}

const scratchSlots: Float32Array[] = [];

/**
 * A float32 work array of exactly `length` elements in slot `slot`, reused across calls (this thread's; a host
 * kernel's intermediates, which no tensor outlives). Slots keep one call's arrays apart.
 */
export function scratch(slot: number, length: number): Float32Array {
  let buffer = scratchSlots[slot];
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float32Array(length);
    scratchSlots[slot] = buffer;
  }
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}
