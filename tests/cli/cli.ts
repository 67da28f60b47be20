import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve('dist/src/cli/bin.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the real `tune` binary in a child process (`env`: variables set, or removed when undefined, for it). */
export function tune(args: readonly string[], opts: { cwd?: string; timeoutMs?: number; env?: Readonly<Record<string, string | undefined>> } = {}): CliResult {
  const env = Object.fromEntries(Object.entries({ ...process.env, ...opts.env }).filter((e): e is [string, string] => e[1] !== undefined));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? process.cwd(), encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempStore(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), 'parzen-cli-')), 'tuning.db')}`;
}

export const fixture = (name: string): string => resolve('tests/cli/fixtures', `${name}.ts`);
