import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Memoises a parsed data file per thread while the file is unchanged (same mtime and size): a worker thread
 * that runs many trials parses each split once. A changed or regenerated file is read again.
 * @example const split = await cache.read('datasets/optimizer/train.h5');
 */
export class FileCache<T> {
  readonly #read: (path: string) => Promise<T>;
  readonly #entries = new Map<string, { stamp: string; value: Promise<T> }>();

  constructor(read: (path: string) => Promise<T>) {
    this.#read = read;
  }

  read(path: string): Promise<T> {
    const abs = resolve(path);
    const st = statSync(abs, { throwIfNoEntry: false });
    const stamp = st === undefined ? 'missing' : `${st.mtimeMs}:${st.size}`;
    const hit = this.#entries.get(abs);
    if (hit !== undefined && hit.stamp === stamp) return hit.value;
    const value = this.#read(abs);
    this.#entries.set(abs, { stamp, value });
    // A failed read is not cached: the next call tries again (the file may have been fixed).
    value.catch(() => this.#entries.delete(abs));
    return value;
  }
}
