import { spawnSync } from 'node:child_process';
import { BIN, type CliResult } from './cli.js';

/**
 * Permission bits do not stop root, and CI runs the tests as root. So as root the CLI runs without the two
 * capabilities that let root ignore them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH; util-linux `setpriv` drops them
 * from the bounding set): the same account, held to file modes like any user. Unlike switching to `nobody`, it can
 * still read a checkout in a folder only root may enter (a fresh clone under `mktemp -d`). As any other user the
 * CLI simply runs as that user.
 */
export const asRoot = process.getuid?.() === 0;

export function tuneUnprivileged(args: readonly string[], opts: { cwd?: string } = {}): CliResult {
  const [command, argv] = asRoot
    ? ['setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const r = spawnSync(command, argv, { cwd: opts.cwd ?? process.cwd(), encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
