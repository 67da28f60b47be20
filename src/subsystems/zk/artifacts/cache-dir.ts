/**
 * Where compiled circuits, keys and powers of tau are kept: `$PARZEN_ZK_CACHE`, else `$XDG_CACHE_HOME/parzen/zk`,
 * else `~/.cache/parzen/zk`. Shared by every study on the machine, because the setup is the slow part. Folders are
 * filled atomically (built under a temporary name, then renamed), and one-time work runs under a lock file, so
 * concurrent trials on worker threads or processes never see half-made artifacts nor make them twice.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function zkCacheDir(): string {
  const env = process.env['PARZEN_ZK_CACHE'];
  if (env !== undefined && env !== '') return env;
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'parzen', 'zk');
}

/** A fresh sibling folder of `finalDir` to build in. */
export function scratchBeside(finalDir: string): string {
  mkdirSync(dirname(finalDir), { recursive: true });
  const dir = join(dirname(finalDir), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  return dir;
}

/** Moves `scratch` to `finalDir`; if another process got there first, keeps theirs and drops ours. */
export function publishDir(scratch: string, finalDir: string): void {
  try {
    renameSync(scratch, finalDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(finalDir)) {
      rmSync(scratch, { recursive: true, force: true });
      return;
    }
    throw e;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `make` unless `done()` already holds, with at most one maker at a time across processes and threads: the
 * others wait for the lock file to go (a lock whose owner process died is taken over).
 */
export async function makeOnce(lockPath: string, done: () => boolean, make: () => Promise<void>): Promise<void> {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (;;) {
    if (done()) return;
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !isAlive(owner)) rmSync(lockPath, { force: true });
      else await sleep(250);
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (!done()) await make();
      return;
    } finally {
      rmSync(lockPath, { force: true });
    }
  }
}
