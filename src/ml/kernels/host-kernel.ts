import type { KernelConfig, KernelFunc, MathBackendCPU, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';

/**
 * A fused kernel written once in JS over float32 arrays and registered for both host-memory backends: on wasm the
 * arrays are views of the WebAssembly heap (zero-copy, as the native matmul reads them), on cpu they are the
 * backend's own arrays. One kernel in place of the five to twenty stock ops it replaces saves tfjs' per-op
 * dispatch (~35 µs an op on this machine) and all but one pass over memory.
 */
export interface HostKernel {
  readonly name: string;
  /** The float32 input names, in the order `compute` receives them. */
  readonly inputs: readonly string[];
  /** int32 inputs (indices), in the order `compute` receives them as `indices`; their shapes follow the floats'. */
  readonly indexInputs?: readonly string[];
  /** Output shapes from the input shapes (same order as `inputs`); throws TrainingError('SHAPE') on a mismatch. */
  outputShapes(shapes: ReadonlyArray<readonly number[]>, attrs: NamedAttrMap): number[][];
  /** Fills every element of every output; outputs arrive uninitialised on wasm. */
  compute(inputs: readonly Float32Array[], outputs: readonly Float32Array[], shapes: ReadonlyArray<readonly number[]>, attrs: NamedAttrMap, indices: readonly Int32Array[]): void;
}

function infosOf(k: HostKernel, named: NamedTensorInfoMap, names: readonly string[], dtype: 'float32' | 'int32'): TensorInfo[] {
  return names.map((n) => {
    const t = named[n];
    if (t === undefined) throw new TrainingError(`${k.name}: input ${n} is required`, { code: 'SHAPE' });
    if (t.dtype !== dtype) throw new TrainingError(`${k.name}: input ${n} must be ${dtype}, got ${t.dtype}`, { code: 'SHAPE' });
    return t;
  });
}

/** Float inputs, then index inputs: the order of `shapes`. */
function inputInfos(k: HostKernel, named: NamedTensorInfoMap): [TensorInfo[], TensorInfo[]] {
  return [infosOf(k, named, k.inputs, 'float32'), infosOf(k, named, k.indexInputs ?? [], 'int32')];
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function wasmKernel(k: HostKernel): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs: NamedAttrMap }) => {
    const [infos, indexInfos] = inputInfos(k, args.inputs);
    const shapes = [...infos, ...indexInfos].map((t) => t.shape);
    const outs = k.outputShapes(shapes, args.attrs).map((s) => args.backend.makeOutput(s, 'float32'));
    // Views are taken after every makeOutput (which may grow the heap) and used by one synchronous call.
    const ins = infos.map((t) => args.backend.typedArrayFromHeap(t) as Float32Array);
    const indices = indexInfos.map((t) => args.backend.typedArrayFromHeap(t) as Int32Array);
    const outViews = outs.map((t) => args.backend.typedArrayFromHeap(t) as Float32Array);
    k.compute(ins, outViews, shapes, args.attrs, indices);
    return outs.length === 1 ? outs[0] : outs;
  }) as unknown as KernelFunc;
}

function cpuKernel(k: HostKernel): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: MathBackendCPU; attrs: NamedAttrMap }) => {
    const [infos, indexInfos] = inputInfos(k, args.inputs);
    const shapes = [...infos, ...indexInfos].map((t) => t.shape);
    const ins = infos.map((t) => args.backend.data.get(t.dataId)?.values as Float32Array);
    const indices = indexInfos.map((t) => args.backend.data.get(t.dataId)?.values as Int32Array);
    const outShapes = k.outputShapes(shapes, args.attrs);
    const outViews = outShapes.map((s) => new Float32Array(size(s)));
    k.compute(ins, outViews, shapes, args.attrs, indices);
    const outs = outShapes.map((s, i) => args.backend.makeTensorInfo(s, 'float32', outViews[i]));
    return outs.length === 1 ? outs[0] : outs;
  }) as unknown as KernelFunc;
}

/** The kernel's configs for the wasm and the cpu backend. */
export function hostKernelConfigs(k: HostKernel): KernelConfig[] {
  return [
    { kernelName: k.name, backendName: 'wasm', kernelFunc: wasmKernel(k) },
    { kernelName: k.name, backendName: 'cpu', kernelFunc: cpuKernel(k) },
  ];
}

/** Throws TrainingError('SHAPE') naming the kernel unless `ok`. */
export function expectShape(ok: boolean, kernel: string, what: () => string): void {
  if (!ok) throw new TrainingError(`${kernel}: ${what()}`, { code: 'SHAPE' });
}
