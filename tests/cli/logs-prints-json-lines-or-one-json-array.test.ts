import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tune } from './cli.js';

// A working directory with a tuning config that names the store: `tune logs` finds the study's logs beside that
// store, as every other command finds the store.
const cwd = mkdtempSync(join(tmpdir(), 'parzen-logs-cli-'));
const config = join(cwd, 'logs.config.mjs');
mkdirSync(join(cwd, 'store'));
writeFileSync(config, `export default { storage: 'sqlite:${join(cwd, 'store', 'tuning.db')}', studiesDir: 'kept' };\n`);
const ran = tune(['--objective', fixture('quadratic'), '--trials', '2', '--study', 'lg', '--seed', '1', '--workers', '0', '--config', config], { cwd });
assert.equal(ran.status, 0, ran.stderr);

test('tune logs prints the JSON lines as stored; --json prints the same records as one JSON array', () => {
  const lines = tune(['logs', '--study', 'lg', '--config', config], { cwd });
  assert.equal(lines.status, 0, lines.stderr);
  const records = lines.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { study?: string; msg?: string });
  assert.ok(records.length >= 3, lines.stdout);
  const array = tune(['logs', '--study', 'lg', '--config', config, '--json'], { cwd });
  assert.equal(array.status, 0, array.stderr);
  assert.deepEqual(JSON.parse(array.stdout), records);
  assert.ok(records.some((r) => r.study === 'lg'), 'the log is the study lg’s');
});

test('tune logs --list --json is the log files as a JSON array', () => {
  const list = tune(['logs', '--study', 'lg', '--config', config, '--list', '--json'], { cwd });
  assert.equal(list.status, 0, list.stderr);
  const files = JSON.parse(list.stdout) as string[];
  assert.equal(files.length, 1);
  assert.match(files[0], /\.log$/);
  assert.equal(tune(['logs', '--study', 'lg', '--config', config, '--list'], { cwd }).stdout, `${files[0]}\n`);
});

test('--json and --pretty together are refused', () => {
  const r = tune(['logs', '--study', 'lg', '--config', config, '--json', '--pretty'], { cwd });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--json and --pretty are two different outputs of `tune logs`; pass one of them/);
});

test('tune logs --json on a line that is not JSON names the file and line, and on a missing file says how to list them', () => {
  const bad = join(cwd, 'bad.log');
  writeFileSync(bad, '{"level":30,"msg":"fine"}\n{"level":30,"msg":"cut off\n');
  const r = tune(['logs', '--study', 'lg', '--config', config, '--file', bad, '--json'], { cwd });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^tune: log file ${bad.replaceAll('.', '\\.')}, line 2: not a JSON record \\(.*\\); without --json, \`tune logs\` prints the lines as they are`));
  assert.equal(r.stdout, '');
  const missing = tune(['logs', '--study', 'lg', '--config', config, '--file', join(cwd, 'none.log'), '--json'], { cwd });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^tune: cannot read log file .*none\.log \(ENOENT.*\); `tune logs --study <name> --list` lists the study's log files/);
  assert.doesNotMatch(missing.stderr + r.stderr, /\n\s+at /, 'no stack trace');
});
