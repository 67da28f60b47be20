import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CliResult } from './cli.js';

/**
 * Permission bits do not stop root, and the tests run as root in CI containers. So when this process is root,
 * a "user who may only read the store" is the real unprivileged account `nobody` (the child process runs under
 * its uid/gid); otherwise it is the current user, whom the permission bits do stop.
 */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Run the real `tune` binary as a user who cannot write files they do not own (see above). */
export function tuneAsReader(args: readonly string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: 'utf8',
    timeout: 120_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
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
