import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFile, exportedBaseline } from '../baseline/fixtures.js';
import { tune } from './cli.js';

const noStack = (stderr: string): void => assert.ok(stderr.trim() !== '' && !stderr.includes('    at '), `expected one paragraph, no stack trace:\n${stderr}`);

test('tune train on a baseline without provenance exits 2 naming the field; no store is touched', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-train-'));
  const db = join(cwd, 'tuning.db');
  const { provenance: _dropped, ...rest } = exportedBaseline('optimizer');
  const file = baselineFile(rest);
  const r = tune(['train', '--baseline', file, '--storage', `sqlite:${db}`], { cwd });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /"provenance" must be the object export-baseline writes .*got nothing \(the field is missing\)/);
  noStack(r.stderr);
  assert.ok(!existsSync(db), 'the baseline is read before the store is opened');
});

test('a bad hyperparameter in the baseline fails in a second, before datasets are generated or a run is stored', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-train-'));
  const storage = `sqlite:${join(cwd, 'tuning.db')}`;
  // The optimizer's dataset takes minutes to generate: reaching it would leave datasets/ in the working folder.
  const file = baselineFile(exportedBaseline('optimizer', { learning_rate: -1, epochs: 2 }));
  const r = tune(['train', '--baseline', file, '--storage', storage], { cwd });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /learning_rate: expected a number > 0, got -1; fix it in tuning\.config\.ts \(subsystems\.optimizer\) or the baseline config/);
  noStack(r.stderr);
  assert.ok(!existsSync(join(cwd, 'datasets')), `no dataset may be prepared: ${readdirSync(cwd).join(', ')}`);
  const runs = tune(['runs', '--json', '--storage', storage], { cwd });
  assert.equal(runs.status, 0, runs.stderr);
  assert.deepEqual(JSON.parse(runs.stdout), [], 'no run is recorded');
});
