/**
 * node-seal, loaded lazily (the CLI never pays for it) and once per thread. Types come from the package's own
 * declarations; every object it returns lives in WebAssembly memory and must be freed with `.delete()`
 * (node-seal's finaliser runs only when the event loop yields, and the heap caps at ~4 GB).
 */
import type { SEALLibrary } from 'node-seal/implementation/seal.js';

export type { SEALLibrary };
export type { CipherText } from 'node-seal/implementation/cipher-text.js';
export type { PlainText } from 'node-seal/implementation/plain-text.js';
export type { Context } from 'node-seal/implementation/context.js';
export type { ParmsIdType } from 'node-seal/implementation/parms-id-type.js';
export type { PublicKey } from 'node-seal/implementation/public-key.js';
export type { RelinKeys } from 'node-seal/implementation/relin-keys.js';
export type { GaloisKeys } from 'node-seal/implementation/galois-keys.js';
export type { CKKSEncoder } from 'node-seal/implementation/ckks-encoder.js';
export type { Evaluator } from 'node-seal/implementation/evaluator.js';

let library: Promise<SEALLibrary> | undefined;

export function loadSeal(): Promise<SEALLibrary> {
  // node-seal is a UMD bundle: under Node's ESM loader its factory is `default`; its CJS-typed declarations put it
  // at `default.default`. Accept either.
  library ??= import('node-seal').then((m) => {
    const outer: unknown = m.default;
    const factory = typeof outer === 'function' ? outer : (outer as { default: unknown }).default;
    return (factory as () => Promise<SEALLibrary>)();
  });
  return library;
}

/** node-seal's operations return `T | void` (void when a destination was given); we never pass one. */
export function made<T>(x: T | void, op: string): T {
  if (x === undefined || x === null) throw new Error(`node-seal ${op} returned nothing`);
  return x as T;
}

/** Anything holding WebAssembly memory. */
export interface Deletable {
  delete(): void;
}

export function free(...xs: ReadonlyArray<Deletable | undefined>): void {
  for (const x of xs) x?.delete();
}
