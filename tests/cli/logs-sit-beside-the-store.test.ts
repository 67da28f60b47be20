import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tune } from './cli.js';

const scratch = (tag: string): string => mkdtempSync(join(tmpdir(), `parzen-logs-${tag}-`));

/** Every file and folder under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = join(prefix, e.name);
    return e.isDirectory() ? [rel, ...tree(join(dir, e.name), rel)] : [rel];
  }).sort();
}

function run(args: readonly string[], cwd?: string) {
  const r = tune(['--objective', fixture('quadratic'), '--trials', '3', '--seed', '1', '--workers', '0', ...args], { cwd });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

test('a run on a store in another folder writes its log beside that store and nothing under the working folder', () => {
  const cwd = scratch('cwd');
  const db = join(scratch('store'), 'tuning.db');
  const r = run(['--study', 'q', '--storage', `sqlite:${db}`], cwd);
  assert.deepEqual(tree(cwd), [], 'the working folder must stay empty');
  const logs = readdirSync(join(`${db}.logs`, 'q'));
  assert.equal(logs.length, 1);
  assert.match(logs[0], /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.log$/);
  assert.ok(r.stderr.includes(`logs: ${join(`${db}.logs`, 'q', logs[0])}`), r.stderr);
});

test('tune logs --storage finds the log of that store, and a same-named study in another store keeps its own', () => {
  const a = `sqlite:${join(scratch('a'), 'tuning.db')}`;
  const b = `sqlite:${join(scratch('b'), 'tuning.db')}`;
  run(['--study', 'same', '--storage', a]);
  run(['--study', 'same', '--storage', b]);
  run(['--study', 'same', '--storage', b]);
  const started = (storage: string): string[] => {
    const r = tune(['logs', '--study', 'same', '--storage', storage]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string; storage?: string });
    return lines.filter((l) => l.msg === 'tune started').map((l) => l.storage ?? '');
  };
  assert.deepEqual(started(a), [a]);
  assert.deepEqual(started(b), [b], 'the latest run of b alone');
  const listed = tune(['logs', '--study', 'same', '--list', '--storage', b]);
  assert.equal(listed.status, 0, listed.stderr);
  assert.equal(listed.stdout.trimEnd().split('\n').length, 2);
  const pretty = tune(['logs', '--study', 'same', '--pretty', '--storage', a]);
  assert.equal(pretty.status, 0, pretty.stderr);
  assert.match(pretty.stdout, /INFO.*: tune started/);
});

test('tune logs for a study with no log there exits 2 naming the folder it looked in, and creates no store', () => {
  const dir = scratch('none');
  const db = join(dir, 'never.db');
  const r = tune(['logs', '--study', 'ghost', '--storage', `sqlite:${db}`]);
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.includes(`study 'ghost' has no log files under ${join(`${db}.logs`, 'ghost')}`), r.stderr);
  assert.ok(!r.stderr.includes('    at '), r.stderr);
  assert.deepEqual(tree(dir), []);
});

test('a memory: store writes no log file and says so; tune logs on one exits 2', () => {
  const cwd = scratch('memory');
  const r = run(['--study', 'm', '--storage', 'memory:'], cwd);
  assert.match(r.stderr, /a memory: store keeps no log files; pass --storage sqlite:<path>/);
  assert.deepEqual(tree(cwd), []);
  const logs = tune(['logs', '--study', 'm', '--storage', 'memory:'], { cwd });
  assert.equal(logs.status, 2, logs.stderr);
  assert.match(logs.stderr, /a memory: store keeps no log files/);
});

test('tune logs --studies-dir reads logs filed the old way, under <dir>/<study>/logs', () => {
  const studies = scratch('legacy');
  mkdirSync(join(studies, 'old', 'logs'), { recursive: true });
  writeFileSync(join(studies, 'old', 'logs', '2025-01-01T00-00-00.000Z.log'), '{"level":30,"msg":"from an older parzen"}\n');
  const r = tune(['logs', '--study', 'old', '--studies-dir', studies]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /from an older parzen/);
  const both = tune(['logs', '--study', 'old', '--studies-dir', studies, '--storage', 'memory:']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /either --storage or --studies-dir/);
});
