import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune } from './cli.js';
import { tuneUnprivileged } from './unprivileged.js';

/** A store holding one finished study, to check that a failing command loses nothing. */
function storeWithStudy(): { storage: string; count: () => number } {
  const storage = tempStore();
  const ok = tune(['--objective', fixture('quadratic'), '--trials', '5', '--study', 'keep', '--seed', '3', '--storage', storage, '--workers', '0']);
  assert.equal(ok.status, 0, ok.stderr);
  const count = (): number => (JSON.parse(tune(['trials', '--study', 'keep', '--json', '--storage', storage]).stdout) as unknown[]).length;
  assert.equal(count(), 5);
  return { storage, count };
}

const oneParagraph = (s: string): void => assert.ok(s.trim().length > 0 && !s.includes('    at '), `expected a message without a stack trace:\n${s}`);

test('an invalid search space exits 2 naming the parameter and the fix, and the store keeps its trials', () => {
  const { storage, count } = storeWithStudy();
  const r = tune(['--objective', fixture('bad-space'), '--trials', '3', '--storage', storage, '--workers', '0']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /space\.num_layers: low 8 > high 3; swap them/);
  oneParagraph(r.stderr);
  assert.equal(count(), 5);
});

test('an unknown subsystem exits 2 and lists the available ones', () => {
  const r = tune(['--subsystem', 'nope', '--trials', '1', '--storage', tempStore()]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown subsystem 'nope'; available: optimizer/);
});

test('a missing, a broken and a wrongly shaped objective file each exit 2 with the file named', () => {
  const storage = tempStore();
  const missing = tune(['--objective', 'does/not/exist.ts', '--storage', storage]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /does\/not\/exist\.ts does not exist/);
  const broken = tune(['--objective', fixture('syntax-error'), '--storage', storage]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /syntax-error\.ts failed to load/);
  const shape = tune(['--objective', fixture('no-default'), '--storage', storage]);
  assert.equal(shape.status, 2);
  assert.match(shape.stderr, /must `export default defineObjective/);
});

test('an unknown study exits 2 for best, trials and export-baseline', () => {
  const { storage } = storeWithStudy();
  for (const cmd of ['best', 'trials', 'export-baseline']) {
    const r = tune([cmd, '--study', 'nope', '--storage', storage]);
    assert.equal(r.status, 2, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, /study ["']nope["']/);
  }
});

test('a NaN objective value fails that trial with a clear message and a non-zero exit; completed trials stay', () => {
  const storage = tempStore();
  const r = tune(['--objective', fixture('nan'), '--trials', '8', '--study', 'n', '--seed', '2', '--storage', storage, '--workers', '0']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /trials failed; first, trial \d+: the objective returned NaN/);
  const trials = JSON.parse(tune(['trials', '--study', 'n', '--json', '--storage', storage]).stdout) as { state: string; error: { message: string } | null }[];
  assert.equal(trials.length, 8);
  assert.ok(trials.some((t) => t.state === 'COMPLETE'));
  assert.ok(trials.filter((t) => t.state === 'FAIL').every((t) => /returned NaN/.test(t.error?.message ?? '')));
});

test('a storage path in a folder the user may not write exits 2 naming the folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-ro-'));
  mkdirSync(join(dir, 'ro'));
  chmodSync(join(dir, 'ro'), 0o500);
  // Held to file permissions even as root (tests/cli/unprivileged.ts).
  const r = tuneUnprivileged(['--objective', fixture('quadratic'), '--trials', '1', '--storage', `sqlite:${join(dir, 'ro', 't.db')}`]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`the folder ${join(dir, 'ro').replaceAll('.', '\\.')} is not writable`));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a storage path under a regular file exits non-zero naming the path', () => {
  const { storage } = storeWithStudy();
  const file = storage.slice('sqlite:'.length);
  const r = tune(['--objective', fixture('quadratic'), '--trials', '1', '--storage', `sqlite:${file}/inside.db`, '--workers', '0']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /inside\.db/);
  oneParagraph(r.stderr);
});

test('bad CLI numbers exit 2 with the flag named', () => {
  const r = tune(['--objective', fixture('quadratic'), '--trials', '-3']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--trials must be a non-negative integer/);
});
