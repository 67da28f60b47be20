import type { KernelConfig, KernelFunc, MathBackendCPU, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import type { Tf } from '../backend-choice.js';

/**
 * Kernels that the wasm backend lacks but the cpu backend has, where a dedicated JS kernel would only repeat
 * the cpu one (conv filter gradients, einsum). They run the cpu kernel on copies of the inputs and copy the
 * outputs back onto the wasm heap: correct, and only as slow as the cpu backend for those ops.
 */
export const CPU_FALLBACK_KERNELS: readonly string[] = ['Conv2DBackpropFilter', 'Einsum'];

/** A wasm kernel that runs `kernelName`'s cpu implementation; null when cpu lacks it too. */
export function cpuFallbackKernel(tf: Tf, kernelName: string): KernelConfig | null {
  const cpuKernel = tf.getKernel(kernelName, 'cpu');
  if (cpuKernel === undefined) return null;
  const kernelFunc = (args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo | TensorInfo[] => {
    const cpu = tf.findBackend('cpu') as MathBackendCPU | null;
    if (cpu === null) throw new TrainingError(`${kernelName}: the cpu backend is needed to run this op on wasm but could not be initialised`);
    // Most kernels take named inputs; a few (Einsum, AddN, Concat) take an array, which is kept an array.
    const copies: TensorInfo[] = [];
    const toCpu = (t: TensorInfo): TensorInfo => {
      const copy = cpu.makeTensorInfo(t.shape, t.dtype, args.backend.readSync(t.dataId) as Float32Array);
      copies.push(copy);
      return copy;
    };
    const cpuInputs: NamedTensorInfoMap | TensorInfo[] = Array.isArray(args.inputs)
      ? (args.inputs as TensorInfo[]).map(toCpu)
      : Object.fromEntries(Object.entries(args.inputs).flatMap(([k, t]) => (t === undefined ? [] : [[k, toCpu(t)]])));
    try {
      const out = cpuKernel.kernelFunc({ inputs: cpuInputs as NamedTensorInfoMap, backend: cpu, attrs: args.attrs });
      return Array.isArray(out) ? out.map((o) => copyToWasm(cpu, args.backend, o)) : copyToWasm(cpu, args.backend, out);
    } finally {
      for (const t of copies) cpu.disposeData(t.dataId, true);
    }
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

function copyToWasm(cpu: MathBackendCPU, wasm: BackendWasm, t: TensorInfo): TensorInfo {
  const values = cpu.readSync(t.dataId) as Float32Array | Int32Array;
  cpu.disposeData(t.dataId, true);
  // the heap view is taken after makeOutput (which may grow the heap) with no allocation in between
  const out = wasm.makeOutput([...t.shape], t.dtype);
  wasm.typedArrayFromHeap(out).set(values);
  return out;
}
