import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { BACKEND_CHOICES, type BackendChoice, type Tf } from './backend-choice.js';
import { registerWasmKernelShims } from './kernels/register.js';
import { matmulStatus, nativeBlas } from './kernels/native-blas.js';
import { useNativeMatMul } from './kernels/native-matmul.js';

export { BACKEND_CHOICES, type BackendChoice, type Tf };


/** The loaded runtime: the namespace to build models with and the backend actually in use. */
export interface MlRuntime {
  readonly tf: Tf;
  /** `tensorflow`, `wasm` or `cpu`: what the caller logs and stores on the trial. */
  readonly backend: string;
  /** Which matrix products run: `native (OpenBLAS 0.3.21, 1 thread)`, `wasm (<why not native>)`, or the backend's own. */
  readonly matmul: string;
}

/** Native packages in order of preference; either registers the `tensorflow` backend when imported. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let tfPromise: Promise<Tf> | null = null;
let nativeProbe: Promise<Tf | null> | null = null;
let wasmRegistered: Promise<boolean> | null = null;
let active: MlRuntime | null = null;

/**
 * Load TensorFlow.js and select a backend. `auto` takes the native binding when it is installed, else wasm,
 * else cpu. Idempotent per thread: calling again with the same choice returns the same runtime; a different
 * choice switches the engine's backend.
 * @example
 * const { tf, backend } = await initBackend('auto');
 * ctx.setAttr('backend', backend);
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<MlRuntime> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new ConfigError(`backend: unknown choice '${String(choice)}'; use one of ${BACKEND_CHOICES.join(', ')}`, { code: 'USAGE' });
  }
  const native = choice === 'tensorflow' || choice === 'auto' ? await loadNative() : null;
  if (choice === 'tensorflow' && native === null) {
    throw new ConfigError(
      'backend: tensorflow (native) is not installed; npm install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), or use --backend wasm',
      { code: 'USAGE' },
    );
  }
  const tf = native ?? (await loadTf());
  const name = await pickBackend(tf, choice, native !== null);
  if (active !== null && active.tf === tf && active.backend === name && tf.getBackend() === name) return active;
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
    throw new ConfigError(`backend: '${name}' failed to initialise; try --backend cpu`, { code: 'USAGE' });
  }
  await tf.ready();
  registerWasmKernelShims(tf);
  active = Object.freeze({ tf, backend: tf.getBackend(), matmul: selectMatMul(tf) });
  return active;
}

/** The runtime chosen by the last `initBackend` call, or a fresh `auto` one when none was chosen yet. */
export async function currentRuntime(): Promise<MlRuntime> {
  return active ?? initBackend('auto');
}

/** On wasm, the native addon's products when it loads (kernels/native-blas.ts says why not otherwise). */
function selectMatMul(tf: Tf): string {
  const backend = tf.getBackend();
  if (backend !== 'wasm') return `${backend} (its own kernels)`;
  const blas = nativeBlas();
  useNativeMatMul(tf, blas, blas !== null);
  return matmulStatus().summary;
}

async function pickBackend(tf: Tf, choice: BackendChoice, haveNative: boolean): Promise<string> {
  if (choice === 'tensorflow') return 'tensorflow';
  if (choice === 'cpu') return 'cpu';
  if (choice === 'wasm') {
    if (!(await registerWasm())) {
      throw new ConfigError('backend: the wasm backend could not be loaded (@tensorflow/tfjs-backend-wasm); use --backend cpu', { code: 'USAGE' });
    }
    return 'wasm';
  }
  if (haveNative) return 'tensorflow';
  if ((await registerWasm()) && (await tryBackend(tf, 'wasm'))) return 'wasm';
  return 'cpu';
}

/** `auto` must not fail when wasm cannot start (no SIMD, missing binary): it falls back to cpu. */
async function tryBackend(tf: Tf, name: string): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  return tf.setBackend(name);
}

function loadTf(): Promise<Tf> {
  tfPromise ??= import('@tensorflow/tfjs');
  return tfPromise;
}

/** Native bindings are optional dependencies: a missing package is the expected case, any other error is not. */
function loadNative(): Promise<Tf | null> {
  nativeProbe ??= (async () => {
    for (const pkg of NATIVE_PACKAGES) {
      try {
        const specifier: string = pkg; // a plain string keeps tsc from requiring the optional package's types
        return (await import(specifier)) as Tf;
      } catch (e) {
        if (!isModuleNotFound(e)) throw new ConfigError(`backend: ${pkg} is installed but failed to load: ${String(e)}`, { cause: e, code: 'USAGE' });
      }
    }
    return null;
  })();
  return nativeProbe;
}

function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Importing the wasm package registers the backend; in Node its binaries are read from the package's dist/
 * folder, which `setWasmPaths` is pointed at explicitly so bundlers or a changed cwd cannot break the lookup.
 */
function registerWasm(): Promise<boolean> {
  wasmRegistered ??= (async () => {
    await loadTf();
    let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
    try {
      wasm = await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      if (isModuleNotFound(e)) return false;
      throw e;
    }
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(entry)}/`);
    return true;
  })();
  return wasmRegistered;
}
