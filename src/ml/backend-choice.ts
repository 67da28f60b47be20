/**
 * The names `--backend` accepts, defined once for the CLI, the config and every subsystem. This file loads
 * nothing: the runtime itself (ml/backend.ts) imports TensorFlow.js lazily.
 */

/** The TensorFlow.js namespace (type only). */
export type Tf = typeof import('@tensorflow/tfjs');

/** What `--backend` accepts. `tensorflow` is the native libtensorflow binding (`@tensorflow/tfjs-node(-gpu)`). */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export function isBackendChoice(x: unknown): x is BackendChoice {
  return typeof x === 'string' && (BACKEND_CHOICES as readonly string[]).includes(x);
}
