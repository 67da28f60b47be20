import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tune } from './cli.js';

const QUERIES: readonly (readonly string[])[] = [
  ['studies'],
  ['trials', '--study', 's'],
  ['best', '--study', 's'],
  ['best-trials', '--study', 's'],
  ['runs'],
  ['export-baseline', '--study', 's'],
];

const noStackTrace = (s: string): void => assert.doesNotMatch(s, /    at /, s);

test('a query command on a missing SQLite file exits 2 naming the absolute path, and creates neither the file nor its folders', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-no-store-'));
  for (const args of QUERIES) {
    const r = tune([...args, '--storage', 'sqlite:nested/dir/x.db'], { cwd });
    assert.equal(r.status, 2, `tune ${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`no study store at ${join(cwd, 'nested/dir/x.db')}`), r.stderr);
    noStackTrace(r.stderr);
  }
  assert.deepEqual(readdirSync(cwd), [], 'nothing was created');
});

test('a three-slash URL (relative, as in SQLAlchemy) that names no file exits 2 naming the resolved path and the four-slash spelling', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-three-slashes-'));
  const r = tune(['studies', '--storage', 'sqlite:///tmp/x.db'], { cwd });
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.includes(`no study store at ${join(cwd, 'tmp/x.db')}`), r.stderr);
  assert.match(r.stderr, /three slashes, so its path is relative to the working folder/);
  assert.match(r.stderr, /for the absolute path \/tmp\/x\.db write sqlite:\/\/\/\/tmp\/x\.db/);
  noStackTrace(r.stderr);
  assert.equal(existsSync(join(cwd, 'tmp')), false, 'no ./tmp folder was created');
});

test('with no --storage in a fresh folder, tune studies says the default store does not exist yet and creates no studies/ folder', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-fresh-'));
  const r = tune(['studies'], { cwd });
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.includes(`no study store at ${join(cwd, 'studies/tuning.db')}`), r.stderr);
  assert.match(r.stderr, /tune create-study --study <name>/);
  assert.deepEqual(readdirSync(cwd), []);
});

test('a query command on an empty file exits 2 saying it is not a study store, and leaves the file empty', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-not-a-store-'));
  writeFileSync(join(cwd, 'empty.db'), '');
  const r = tune(['studies', '--storage', 'sqlite:empty.db'], { cwd });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /empty database, not a parzen study store/);
  noStackTrace(r.stderr);
  assert.equal(statSync(join(cwd, 'empty.db')).size, 0);
});
