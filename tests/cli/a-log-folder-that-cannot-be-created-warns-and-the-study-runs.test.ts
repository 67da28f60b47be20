import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tune } from './cli.js';
import { tuneUnprivileged } from './unprivileged.js';

interface TrialJson {
  state: string;
}

/** The CLI held to file permissions even as root (tests/cli/unprivileged.ts): a read-only folder then stops it. */
function tuneAs(args: readonly string[]): { status: number | null; stderr: string } {
  return tuneUnprivileged(args);
}

/** A folder the CLI's user owns and may write. */
function ownedFolder(): string {
  return mkdtempSync(join(tmpdir(), 'parzen-ro-logs-'));
}

function assertRanToTheEnd(storage: string, study: string, n: number): void {
  const trials = JSON.parse(tune(['trials', '--study', study, '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.equal(trials.length, n, 'the study row holds its trials');
  assert.ok(trials.every((t) => t.state === 'COMPLETE'), JSON.stringify(trials.map((t) => t.state)));
}

test('a read-only log folder (EACCES) is one warning naming the file and the error; the study runs to the end, exit 0', () => {
  const dir = ownedFolder();
  const logs = join(dir, 'tuning.db.logs');
  mkdirSync(logs);
  chmodSync(logs, 0o555);
  const storage = `sqlite:${join(dir, 'tuning.db')}`;
  const r = tuneAs(['--objective', fixture('quadratic'), '--trials', '6', '--study', 'ro', '--seed', '2', '--workers', '0', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.ok(warnings[0].includes(join(logs, 'ro')), warnings[0]);
  assert.match(warnings[0], /EACCES: permission denied.*this run writes no log file and goes on/);
  assert.ok(!r.stderr.includes('    at '), `no stack trace:\n${r.stderr}`);
  assert.ok(!/^logs: /m.test(r.stderr), 'no log file is announced');
  assertRanToTheEnd(storage, 'ro', 6);
});

test('a file where the log folder should be (ENOTDIR) warns once the same way and the study runs to the end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-ro-logs-'));
  writeFileSync(join(dir, 'tuning.db.logs'), 'not a folder');
  const storage = `sqlite:${join(dir, 'tuning.db')}`;
  const r = tune(['--objective', fixture('quadratic'), '--trials', '4', '--study', 'nd', '--seed', '2', '--workers', '0', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /cannot create the study log .*tuning\.db\.logs\/nd\/.*\.log \(ENOTDIR/);
  assertRanToTheEnd(storage, 'nd', 4);
});
