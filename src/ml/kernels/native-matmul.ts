import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import type { Tf } from '../backend-choice.js';
import type { NativeBlas } from './native-blas.js';

/**
 * The wasm backend's BatchMatMul (every tf.matMul, 2-D or batched, with or without transpose flags) run by the
 * native addon over the system BLAS. Zero-copy: the inputs are read and the output written through views of the
 * wasm heap (`typedArrayFromHeap`), taken after `makeOutput` (the one allocation, which may grow the heap and so
 * invalidate earlier views) and used by one synchronous native call, so no allocation can move them in between.
 * The output is a tensor the backend allocated and nothing else holds yet, so writing it cannot break tfjs' rule
 * that tensors are immutable. Shapes the addon does not cover (non-float32, general batch broadcasting such as
 * [2,1,m,k]×[1,3,k,n]) go to the stock kernel.
 */

interface Args {
  inputs: NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

let stock: KernelConfig | null = null;
let registered: KernelConfig | null = null;

function makeKernel(tf: Tf, blas: NativeBlas, fallback: KernelFunc): KernelFunc {
  const kernel = (args: Args): TensorInfo => {
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined) throw new TrainingError('BatchMatMul: inputs a and b are required', { code: 'SHAPE' });
    const transA = args.attrs['transposeA'] === true;
    const transB = args.attrs['transposeB'] === true;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA !== batchB && batchA !== 1 && batchB !== 1)) {
      return fallback(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
    const kA = transA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kB = transB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (kA !== kB) {
      throw new TrainingError(
        `matMul: inner dimensions differ: [${a.shape.join(', ')}]${transA ? 'ᵀ' : ''} × [${b.shape.join(', ')}]${transB ? 'ᵀ' : ''} (${kA} vs ${kB})`,
        { code: 'SHAPE' },
      );
    }
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = args.backend.makeOutput([...outer, m, n], 'float32');
    if (m * n === 0) return out;
    const backend = args.backend;
    blas.sgemmBatched(
      backend.typedArrayFromHeap(a) as Float32Array,
      backend.typedArrayFromHeap(b) as Float32Array,
      backend.typedArrayFromHeap(out) as Float32Array,
      batchA, batchB, m, n, kA, transA, transB,
    );
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/**
 * Register (on) or restore the stock (off) BatchMatMul kernel of the wasm backend. Idempotent; returns whether the
 * native kernel is registered afterwards. Tests switch it to compare both on the same inputs.
 * @example useNativeMatMul(tf, nativeBlas(), true)
 */
export function useNativeMatMul(tf: Tf, blas: NativeBlas | null, on: boolean): boolean {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (current === undefined) return false;
  if (stock === null && current !== registered) stock = current;
  const want = on && blas !== null ? (registered ??= nativeConfig(tf, blas)) : stock;
  if (want === null || current === want) return current === registered && registered !== null;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(want);
  return want === registered;
}

function nativeConfig(tf: Tf, blas: NativeBlas): KernelConfig {
  if (stock === null) throw new TrainingError('BatchMatMul: the stock wasm kernel was not found to fall back on');
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: makeKernel(tf, blas, stock.kernelFunc) };
}

/**
 * True while matrix products on the current backend run natively, where transpose flags cost nothing; on the
 * stock wasm kernel they leave XNNPACK's fast path, so callers (kernels/matmul.ts) write transposes out instead.
 */
export function nativeMatMulActive(tf: Pick<Tf, 'getBackend' | 'getKernel'>): boolean {
  return registered !== null && tf.getBackend() === 'wasm' && tf.getKernel('BatchMatMul', 'wasm') === registered;
}
