import { loadSeal, type CipherText } from '../../../src/subsystems/fhe/ckks/seal.js';
import type { CkksParams } from '../../../src/subsystems/fhe/ckks/params.js';
import { DataOwner } from '../../../src/subsystems/fhe/owner/data-owner.js';

/**
 * Native memory the process has touched (RSS less the JS heap). WebAssembly memory grows in chunks of up to 96 MB
 * and never shrinks, so its size hides a leak that fits in the last chunk; but the OS maps a page into RSS only
 * when it is first written, and the allocator reuses freed pages first, so touched pages grow with a leak and stay
 * flat without one, to the page.
 */
export function touchedNativeBytes(): number {
  const m = process.memoryUsage();
  return m.rss - m.heapTotal;
}

export interface LeakWindows {
  /** Touched-memory growth over `window` steps as the code runs. */
  readonly clean: number;
  /** The same over the next `window` steps, each leaking one fresh top-level ciphertext (a SEAL object never deleted). */
  readonly leaky: number;
  /** What the leaky window leaks in all: `window` ciphertexts' bytes. */
  readonly leakedBytes: number;
}

/**
 * Runs `step` `warmUp` times (pools and the heap settle), then two windows of `window` steps: the code as it is, and
 * the code plus a deliberate leak — the control that shows the measurement would catch a leak of one ciphertext a
 * step. The leaked ciphertexts come from a second owner (no Galois keys, so its setup is cheap) on the same
 * parameters, and are freed at the end.
 */
export async function leakWindows(o: { params: CkksParams; warmUp: number; window: number; step(i: number): void }): Promise<LeakWindows> {
  const leakOwner = DataOwner.create(await loadSeal(), o.params, []);
  const leaked: CipherText[] = [];
  try {
    let i = 0;
    for (; i < o.warmUp; i++) o.step(i);
    const window = (leak: boolean): number => {
      const before = touchedNativeBytes();
      for (const end = i + o.window; i < end; i++) {
        o.step(i);
        if (leak) leaked.push(leakOwner.encrypt(new Float64Array(0)));
      }
      return touchedNativeBytes() - before;
    };
    const clean = window(false);
    const leaky = window(true);
    const bytes = leaked[0].saveArray(leakOwner.context.seal.ComprModeType.none).byteLength;
    return { clean, leaky, leakedBytes: o.window * bytes };
  } finally {
    for (const ct of leaked) ct.delete();
    leakOwner.delete();
  }
}
