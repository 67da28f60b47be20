import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { csvObjects } from '../cli/csv-parse.js';

// A launcher that registers the test tree's toy subsystem and runs the real CLI: nothing in src/ names it.
const LAUNCHER = resolve('dist/tests/subsystems/fixtures/toy/tune-with-toy.js');

function tune(cwd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: { status: number | null; stdout: string; stderr: string }): T {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('a subsystem added through the registry alone gets datasets commands, its own command, tuning, export-baseline and train', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-toy-cli-'));
  const storage = ['--storage', `sqlite:${join(cwd, 'tuning.db')}`];

  const help = tune(cwd, ['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /toy-stats/);
  assert.match(tune(cwd, ['datasets', 'prepare', '--help']).stdout, /toy/);

  assert.equal(json<{ generated: boolean }>(tune(cwd, ['datasets', 'prepare', 'toy', '--json'])).generated, true);
  assert.equal(json<{ generated: boolean }>(tune(cwd, ['datasets', 'prepare', 'toy', '--json'])).generated, false);
  json(tune(cwd, ['datasets', 'generate', 'toy', '--train', '320', '--val', '64', '--test', '96', '--seed', '5', '--json']));
  assert.deepEqual(json(tune(cwd, ['toy-stats', '--json'])), { train: 320, val: 64, test: 96 });

  // One pool worker: the worker thread loads the subsystem from the module URL the trial carries.
  const run = json<{ counts: Record<string, number> }>(
    tune(cwd, ['--subsystem', 'toy', '--trials', '3', '--epochs', '2', '--batch-cap', '3', '--seed', '1', '--workers', '1', '--json', ...storage]),
  );
  assert.equal(run.counts['COMPLETE'], 3);
  const trials = json<Array<{ budget: unknown; state: string; userAttrs: Record<string, unknown> }>>(tune(cwd, ['trials', '--study', 'toy', '--json', ...storage]));
  assert.deepEqual(trials.map((t) => t.budget), [0, 1, 2].map(() => ({ epochs: 2, batchCap: 3 })));

  const out = join(cwd, 'baseline.json');
  tune(cwd, ['export-baseline', '--study', 'toy', '--out', out, ...storage]);
  assert.ok(existsSync(out));
  // The baseline given the old way, as --config, is refused with the --baseline spelling before anything runs.
  const misread = tune(cwd, ['train', '--config', out, ...storage]);
  assert.equal(misread.status, 2);
  assert.match(misread.stderr, /looks like a baseline: pass it as `tune train --baseline /);
  // --config is the tuning config here as everywhere: its studiesDir is where the run's checkpoints go.
  const config = join(cwd, 'train.config.mjs');
  writeFileSync(config, "export default { studiesDir: 'from-config' };\n");
  const finished = json<{ state: string; runId: number; result: Record<string, number> }>(
    tune(cwd, ['train', '--baseline', out, '--config', config, '--epochs', '25', '--backend', 'cpu', '--json', ...storage]),
  );
  assert.equal(finished.state, 'COMPLETE');
  // A real model on real data: it beats predicting the training mean on the held-out split.
  assert.ok(finished.result['y_r2'] > finished.result['y_mean_baseline_r2'] + 0.2, JSON.stringify(finished.result));
  assert.ok(existsSync(join(cwd, 'from-config', 'toy', 'runs', String(finished.runId), 'best.json')));
  // A contributed command finds the run and its checkpoints through the same store and config flags.
  const opened = json<{ runId: number; state: string; checkpointDir: string; best: boolean }>(
    tune(cwd, ['toy-run', '--run', String(finished.runId), '--config', config, ...storage]),
  );
  assert.deepEqual(opened, { runId: finished.runId, state: 'COMPLETE', checkpointDir: join(cwd, 'from-config', 'toy', 'runs', String(finished.runId)), best: true });
  const missing = tune(cwd, ['toy-run', '--run', '999', ...storage]);
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /run 999 does not exist/);
  const runs = json<Array<{ runId: number; subsystem: string; trialNumber: number | null; metrics: unknown[] }>>(tune(cwd, ['runs', '--json', ...storage]));
  assert.equal(runs[0].subsystem, 'toy');
  // The run records the trial its baseline came from (export-baseline's provenance), and `tune runs` shows it.
  const trialNumber = (JSON.parse(readFileSync(out, 'utf8')) as { provenance: { trialNumber: number } }).provenance.trialNumber;
  assert.equal(runs[0].trialNumber, trialNumber);
  assert.ok(runs[0].metrics.length > 0);
  const csv = tune(cwd, ['runs', '--format', 'csv', ...storage]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.deepEqual(csvObjects(csv.stdout).map((r) => [r['run'], r['subsystem'], r['study'], r['trial'], r['state'], r['value']]), [
    [String(finished.runId), 'toy', 'toy', String(trialNumber), 'COMPLETE', String(finished.result['value'])],
  ]);
});

test('an unknown subsystem is a usage error that lists the registered ones', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-toy-cli-'));
  const r = tune(cwd, ['--subsystem', 'nosuch', '--trials', '1', '--storage', 'memory:']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /unknown subsystem 'nosuch'; available: optimizer, (.+, )?toy \(/); // every built-in, then the plug-in
});
