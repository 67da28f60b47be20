import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tune } from './cli.js';

test('tune --help describes --trial-train-workers and its default', () => {
  const help = tune(['--help']);
  assert.equal(help.status, 0, help.stderr);
  const text = help.stdout.replace(/\s+/g, ' ');
  assert.match(text, /--trial-train-workers data-parallel trials: when fewer trials are left to start than workers are idle/);
  assert.match(text, /auto: as many as no later trial needs, N: at most N, 1: off/);
});

for (const bad of ['0', '-1', '1.5', '65', 'two', '']) {
  test(`--trial-train-workers ${JSON.stringify(bad)} exits 2 naming the flag and what it takes, before the store is opened`, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'parzen-trial-train-workers-'));
    const db = join(cwd, 'tuning.db');
    const r = tune(['--subsystem', 'optimizer', '--trials', '1', '--storage', `sqlite:${db}`, '--trial-train-workers', bad], { cwd });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--trial-train-workers: expected 'auto' \(a trial trains on the worker slots no other trial will need\) or an integer from 1 to 64 \(the most per trial; 1 turns it off\), got /);
    assert.ok(!r.stderr.includes('    at '), `no stack trace:\n${r.stderr}`);
    assert.ok(!existsSync(db), 'no store is created');
  });
}
