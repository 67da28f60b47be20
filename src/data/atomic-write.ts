import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let counter = 0;

/**
 * A temporary path beside `target` (same folder, so the final rename is atomic), unique per process and call.
 * Parent folders are created.
 */
export function temporaryPathFor(target: string): string {
  const abs = resolve(target);
  mkdirSync(dirname(abs), { recursive: true });
  return join(dirname(abs), `.${basename(abs)}.${process.pid}.${counter++}.tmp`);
}

/**
 * Writes a file by way of a temporary one: `write(tmp)` produces it, then it is renamed over `target`. A reader
 * never sees a half-written file, and an interrupted or failed write leaves the previous file (or none).
 * @example await writeAtomically('datasets/x/train.h5', async (tmp) => writeHdf5(tmp, split));
 */
export async function writeAtomically(target: string, write: (tmp: string) => void | Promise<void>): Promise<void> {
  const tmp = temporaryPathFor(target);
  try {
    await write(tmp);
    renameSync(tmp, resolve(target));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** `writeAtomically` for text (a manifest, a vocabulary). */
export async function writeTextAtomically(target: string, text: string): Promise<void> {
  await writeAtomically(target, (tmp) => writeFileSync(tmp, text));
}
