import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tune } from './cli.js';

test('a run with --storage in a folder that does not exist exits 2 naming the folder and the mkdir, and creates nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-no-folder-'));
  const dir = join(root, 'nonexistent', 'dir');
  const r = tune(['--objective', fixture('quadratic'), '--trials', '1', '--workers', '0', '--storage', `sqlite:${join(dir, 'x.db')}`], { cwd: root });
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.includes(`the folder ${dir} does not exist`), r.stderr);
  assert.ok(r.stderr.includes(`mkdir -p ${dir}`), r.stderr);
  assert.doesNotMatch(r.stderr, /    at /);
  assert.equal(existsSync(join(root, 'nonexistent')), false, 'no folder was created');
  const made = tune(['create-study', '--study', 's', '--storage', `sqlite:${join(dir, 'x.db')}`], { cwd: root });
  assert.equal(made.status, 2, made.stderr);
  assert.equal(existsSync(join(root, 'nonexistent')), false);
});

test('the default store sqlite:studies/tuning.db is created with its studies/ folder in a fresh working folder', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-fresh-clone-'));
  assert.deepEqual(readdirSync(cwd), []);
  const r = tune(['--objective', fixture('quadratic'), '--trials', '2', '--study', 'fresh', '--workers', '0'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(cwd, 'studies', 'tuning.db')));
  const studies = JSON.parse(tune(['studies', '--json'], { cwd }).stdout) as { name: string; nTrials: number }[];
  assert.deepEqual(studies.map((s) => [s.name, s.nTrials]), [['fresh', 2]]);
});
