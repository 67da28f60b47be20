import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import { nativeKernels } from './native-kernels.js';

/**
 * `UnsortedSegmentSum` for the wasm backend, which ships without it (so the gradient of `tf.gather`, which
 * scatters `dy` back with a segment sum, throws there). Written in JS over views of the tensors' heap data (no copies):
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …] (TensorFlow's definition). Negative ids are dropped, as TensorFlow
 * does; ids ≥ numSegments are a bug in the caller and throw. One pass over x, O(n·inner), where the cpu
 * backend's version builds one mask per segment (O(numSegments·n·inner)).
 */
export function unsortedSegmentSumWasm(args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const { x, segmentIds } = args.inputs;
  const numSegments = Number(args.attrs['numSegments']);
  if (x === undefined || segmentIds === undefined) throw new TrainingError('UnsortedSegmentSum: inputs x and segmentIds are required', { code: 'SHAPE' });
  checkShapes(x.shape, segmentIds.shape, numSegments);
  const idRank = segmentIds.shape.length;
  const inner = x.shape.slice(idRank).reduce((a, b) => a * b, 1);
  // makeOutput may grow the wasm heap, so every heap view is taken after it and used with no allocation between.
  const out = args.backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const ids = args.backend.typedArrayFromHeap(segmentIds) as Int32Array | Float32Array;
  const values = args.backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  // Summed in place in the output, in float32 as the stock kernels sum: no scratch array to allocate and copy.
  const sums = args.backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const native = nativeKernels();
  if (native !== null && values instanceof Float32Array && ids instanceof Int32Array && sums instanceof Float32Array) {
    const bad = native.segmentSum(values, ids, sums, ids.length, inner, numSegments);
    if (bad >= 0) throw outOfRange(bad, ids[bad], numSegments);
    return out;
  }
  sums.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0) continue;
    if (s >= numSegments) throw outOfRange(i, s, numSegments);
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) sums[dst + j] += values[src + j];
  }
  return out;
}

function outOfRange(i: number, id: number, numSegments: number): TrainingError {
  return new TrainingError(`UnsortedSegmentSum: segmentIds[${i}] = ${id} is out of range [0, ${numSegments}); numSegments must exceed every id`, { code: 'SHAPE' });
}

function checkShapes(xShape: readonly number[], idShape: readonly number[], numSegments: number): void {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new TrainingError(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`, { code: 'SHAPE' });
  }
  const prefix = xShape.slice(0, idShape.length);
  if (idShape.length > xShape.length || prefix.some((d, i) => d !== idShape[i])) {
    throw new TrainingError(
      `UnsortedSegmentSum: segmentIds shape [${idShape.join(', ')}] must be a prefix of x shape [${xShape.join(', ')}]`,
      { code: 'SHAPE' },
    );
  }
}

export const unsortedSegmentSumWasmConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm as unknown as KernelFunc,
};
