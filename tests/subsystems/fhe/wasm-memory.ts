import { readFileSync } from 'node:fs';
import { loadSeal, type CipherText } from '../../../src/subsystems/fhe/ckks/seal.js';
import type { CkksParams } from '../../../src/subsystems/fhe/ckks/params.js';
import { DataOwner } from '../../../src/subsystems/fhe/owner/data-owner.js';

/**
 * Pages of WebAssembly memory the process has touched: the resident size of the read-write start of each reservation
 * V8 makes for a wasm memory (10 GiB of address space, guard regions included), read from /proc/self/smaps. WebAssembly memory
 * grows in chunks of up to 96 MB and never shrinks, so its size hides a leak that fits in the last chunk; but the OS
 * maps a page into RSS only when it is first written, and SEAL's memory pool reuses freed blocks first, so touched
 * wasm pages grow with a leak and stay flat without one. Unlike the process's RSS this leaves out the JS heap, its
 * ArrayBuffers and malloc, whose pages come and go with garbage collection (RSS − heapTotal swung by 15 MB either way
 * between windows in the full suite, hiding a 13 MB leak).
 */
export function touchedNativeBytes(): number {
  // A wasm memory is the read-write part at the start of its reservation: an rw mapping directly followed by the
  // reservation's inaccessible rest (≥ 4 GiB, `---p`).
  const maps: Array<{ start: bigint; end: bigint; perms: string; rssKb: number }> = [];
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) (\S+) /.exec(line);
    if (range !== null) maps.push({ start: BigInt(`0x${range[1]}`), end: BigInt(`0x${range[2]}`), perms: range[3], rssKb: 0 });
    else if (line.startsWith('Rss:') && maps.length > 0) maps[maps.length - 1].rssKb = Number(/(\d+) kB/.exec(line)?.[1] ?? 0);
  }
  let total = 0;
  for (let i = 1; i < maps.length; i++) {
    const [prev, cur] = [maps[i - 1], maps[i]];
    const guard = cur.perms === '---p' && cur.end - cur.start >= 4n * 2n ** 30n;
    if (guard && prev.end === cur.start && prev.perms.startsWith('rw')) total += prev.rssKb * 1024;
  }
  return total;
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
