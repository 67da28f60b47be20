import { ConfigError } from '../../errors.js';
import { nativeBlas, type NativeBlas } from './native-blas.js';

/**
 * The fused kernels' loops in C (native/src/parzen_kernels_dense.c, …_graph.c), exported by the same optional addon as the matrix
 * products. Each works in place on the Float32Arrays it is given (views of the wasm heap, or the cpu backend's
 * arrays), so the JS kernels call them with exactly the views they would loop over themselves. An addon built
 * before these existed has none of them, and the JS loops run; so do they with PARZEN_NATIVE=0 or no addon.
 * PARZEN_NATIVE_KERNELS=0 keeps the native matrix products but runs the JS loops (for a before/after in one build).
 */
export interface NativeKernels {
  biasGelu(x: Float32Array, bias: Float32Array, y: Float32Array, slope: Float32Array, rows: number, cols: number): void;
  biasGeluGrad(dy: Float32Array, slope: Float32Array, dx: Float32Array, dBias: Float32Array, rows: number, cols: number): void;
  columnSum(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** Both return −1, or the first position whose id is outside [0, numSegments) (then nothing is written). */
  weightedSegmentSum(x: Float32Array, alpha: Float32Array, ids: Int32Array, out: Float32Array, E: number, H: number, hd: number, numSegments: number): number;
  weightedSegmentSumGrad(dy: Float32Array, x: Float32Array, alpha: Float32Array, ids: Int32Array, dx: Float32Array, dAlpha: Float32Array, E: number, H: number, hd: number, numSegments: number): number;
  /** Returns −1, or the first position whose id is outside [0, numSegments) (then nothing is written). */
  segmentSoftmax(logits: Float32Array, ids: Int32Array, alpha: Float32Array, E: number, H: number, numSegments: number): number;
  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, n: number, beta1: number, beta2: number, epsilon: number, stepSize: number, decay: number): void;
  causalSoftmax(s: Float32Array, p: Float32Array, rows: number, T: number, scale: number): void;
  causalSoftmaxGrad(dp: Float32Array, p: Float32Array, ds: Float32Array, rows: number, T: number, scale: number): void;
  layerNorm(x: Float32Array, gain: Float32Array, bias: Float32Array, y: Float32Array, rows: number, cols: number, eps: number): void;
  layerNormGrad(dy: Float32Array, x: Float32Array, gain: Float32Array, dx: Float32Array, dGain: Float32Array, dBias: Float32Array, rows: number, cols: number, eps: number): void;
  gatv2Scores(src: Float32Array, dst: Float32Array, edge: Float32Array, attn: Float32Array, scores: Float32Array, E: number, H: number, hd: number, slope: number): void;
  gatv2ScoresGrad(dScores: Float32Array, src: Float32Array, dst: Float32Array, edge: Float32Array, attn: Float32Array, dz: Float32Array, dAttn: Float32Array, E: number, H: number, hd: number, slope: number): void;
  /** Returns −1, or the first position whose id is ≥ numSegments (then nothing is written). */
  segmentSum(values: Float32Array, ids: Int32Array, out: Float32Array, n: number, inner: number, numSegments: number): number;
  /** out[r] = x[idx[r]] for r < n; returns −1, or the first position whose index is outside [0, rows) (nothing written). */
  gatherRows(x: Float32Array, idx: Int32Array, out: Float32Array, rows: number, D: number, n: number): number;
}

const NAMES: ReadonlyArray<keyof NativeKernels> = ['biasGelu', 'layerNorm', 'layerNormGrad', 'gatv2Scores', 'gatv2ScoresGrad', 'segmentSum', 'gatherRows',
  'biasGeluGrad', 'columnSum', 'adamUpdate', 'segmentSoftmax',
  'weightedSegmentSum', 'weightedSegmentSumGrad', 'causalSoftmax', 'causalSoftmaxGrad'];

let enabled: boolean | null = null;

function fromEnv(): boolean {
  const raw = process.env['PARZEN_NATIVE_KERNELS'];
  if (raw === undefined || raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new ConfigError(`PARZEN_NATIVE_KERNELS: expected 0 (JS loops) or 1 (C kernels where the addon has them), got '${raw}'; unset it for the C kernels`, { code: 'USAGE' });
}
let found: NativeKernels | null | undefined;

function hasKernels(blas: NativeBlas | null): blas is NativeBlas & NativeKernels {
  return blas !== null && NAMES.every((n) => typeof (blas as unknown as Record<string, unknown>)[n] === 'function');
}

/** Turns the C kernels on or off for this thread (tests compare them with the JS loops on the same inputs). */
export function useNativeKernels(on: boolean): void {
  enabled = on;
}

/**
 * Which loops the fused kernels run, and why: what `tune doctor` prints as `kernels`.
 * @example process.stdout.write(`kernels: ${nativeKernelsSummary()}\n`) // C (native addon)
 */
export function nativeKernelsSummary(): string {
  if (nativeKernels() !== null) return 'C (native addon)';
  if (enabled === false) return 'JS (PARZEN_NATIVE_KERNELS=0)';
  if (nativeBlas() === null) return 'JS (no native addon)';
  return 'JS (the native addon predates them; rebuild it with `node scripts/build-native.mjs`)';
}

/** The addon's kernels when it is loaded and has them all and they are on, else null (the JS loops run). */
export function nativeKernels(): NativeKernels | null {
  enabled ??= fromEnv();
  if (!enabled) return null;
  if (found === undefined) {
    const blas = nativeBlas();
    found = hasKernels(blas) ? blas : null;
  }
  return found;
}
