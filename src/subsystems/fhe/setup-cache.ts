/**
 * The one setup (keys, contexts, the server with the encrypted rows) a worker thread keeps between trials: key
 * generation dominates a short trial, and the keys depend only on the ring, the scale and the packed data, so the
 * next trial with the same key string reuses them. Only one is kept (a setup holds hundreds of MB of WebAssembly
 * heap); asking for another frees it first.
 */
import { createHash } from 'node:crypto';

export interface CachedSetup {
  /** Names the model, the ring, the scale and a hash of the rows: equal keys mean interchangeable setups. */
  readonly key: string;
  delete(): void;
}

let cached: CachedSetup | undefined;

/** The kept setup when its key is `key` (the caller's model namespaces the key, so the type matches), else a new one. */
export async function acquireSetup<T extends CachedSetup>(key: string, make: () => Promise<T>): Promise<{ setup: T; reused: boolean }> {
  if (cached?.key === key) return { setup: cached as T, reused: true };
  releaseCachedSetup();
  const setup = await make();
  cached = setup;
  return { setup, reused: false };
}

/** Frees the kept keys and encrypted rows (tests, benchmarks; a worker thread's exit frees them too). */
export function releaseCachedSetup(): void {
  cached?.delete();
  cached = undefined;
}

/** sha-256 of the rows' bytes, for setup keys. */
export function hashRows(rows: readonly Float64Array[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(new Uint8Array(r.buffer, r.byteOffset, r.byteLength));
  return h.digest('hex');
}
