import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from './cli.js';
import { tuneUnprivileged } from './unprivileged.js';

/** Run the real `tune` binary as a user held to file permissions (tests/cli/unprivileged.ts says how, as root). */
export function tuneAsReader(args: readonly string[], opts: { cwd?: string } = {}): CliResult {
  return tuneUnprivileged(args, opts);
}

/** A fresh folder the reader can enter (and write, with `writable`); made by this (owning) process. */
export function readerDir(opts: { writable: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-reader-'));
  setReaderAccess(dir, opts);
  return dir;
}

/** Read-only (r-x for everyone) or writable by everyone (rwx), sticky like /tmp so only owners delete files. */
export function setReaderAccess(dir: string, opts: { writable: boolean }): void {
  chmodSync(dir, opts.writable ? 0o1777 : 0o555);
}
