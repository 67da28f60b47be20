import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';

/**
 * `Identity` for the wasm backend that shares the input's buffer (one more reference) instead of copying it, as
 * the cpu backend's does and as wasm's own Reshape already does. tfjs runs Identity for every `clone`, and a custom
 * gradient's `save` clones what it saves: on wasm each matrix product of a training step copied both its inputs
 * (measured: 7.5% of a cllm step's CPU). Sharing is safe because tfjs never writes a tensor's buffer after the
 * kernel that made it returns; the one writer that does (kernels/adam-update.ts, in place on a variable) first
 * checks that the variable holds its buffer alone.
 */
function identityShared(args: { inputs: NamedTensorInfoMap; backend: BackendWasm }): TensorInfo {
  const { x } = args.inputs;
  if (x === undefined) throw new TrainingError('Identity: input x is required', { code: 'SHAPE' });
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identitySharedWasmConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identityShared as unknown as KernelFunc,
};
