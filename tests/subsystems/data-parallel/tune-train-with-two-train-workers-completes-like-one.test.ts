import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tune, type CliResult } from '../../cli/cli.js';
import { corpusFile, TINY_PARAMS } from '../cllm/fixtures.js';

function json<T>(r: CliResult): T {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** The whole path in a real `tune` process: the replica's worker thread imports the built subsystem module. */
test('tune train --train-workers 2 completes the run, says so, and ends with the single worker’s test loss', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-train-workers-cli-'));
  const storage = ['--storage', `sqlite:${join(cwd, 'tuning.db')}`];
  json(tune(['datasets', 'prepare', 'cllm', '--corpus', corpusFile(), '--json'], { cwd }));
  const baseline = join(cwd, 'baseline.json');
  writeFileSync(baseline, JSON.stringify({
    parzenBaseline: 1, subsystem: 'cllm', objective: null, metric: 'val_loss', direction: 'minimize',
    config: { ...TINY_PARAMS, dropout: 0, batch_size: 4, epochs: 2, steps_per_epoch: 3 }, params: {},
    provenance: { study: 'hand', trialNumber: 0, seed: 1, objectiveSeed: 1 },
  }));
  type Run = { state: string; result: Record<string, unknown> };
  const train = (n: number): { run: Run; stderr: string } => {
    const r = tune(['train', '--baseline', baseline, '--backend', 'wasm', '--train-workers', String(n), '--json', ...storage], { cwd, timeoutMs: 600_000 });
    return { run: json<Run>(r), stderr: r.stderr };
  };
  const one = train(1);
  const two = train(2);
  assert.equal(two.run.state, 'COMPLETE');
  assert.equal(two.run.result['train_workers'], 2);
  assert.match(two.stderr, /cllm: full training on wasm, matmul .*, 2 train workers/);
  const [a, b] = [one.run.result['test_loss'] as number, two.run.result['test_loss'] as number];
  assert.ok(Math.abs(a - b) <= 1e-4 * a, `test_loss ${b} (2 workers) vs ${a} (1)`);
});
