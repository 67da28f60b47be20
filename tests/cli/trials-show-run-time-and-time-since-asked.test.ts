import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';
import { csvObjects } from './csv-parse.js';
import type { TrialJson } from './wide-study.js';

test('in a deterministic batch run_s is the time the objective ran and total_s also counts the wait for a worker', () => {
  const storage = tempStore();
  // One lane, batches of four: the trials of a batch are all asked first, then run one after another.
  const run = tune(['--objective', fixture('quadratic'), '--trials', '8', '--study', 'd', '--seed', '2', '--deterministic-batch', '4', '--workers', '0', '--storage', storage]);
  assert.equal(run.status, 0, run.stderr);
  const trials = JSON.parse(tune(['trials', '--study', 'd', '--json', '--storage', storage]).stdout) as TrialJson[];
  for (const t of trials) {
    assert.ok(t.runStartedAt !== null && t.runMs !== null && t.durationMs !== null, JSON.stringify(t));
    assert.ok(t.runMs <= t.durationMs);
    assert.equal(t.durationMs - t.runMs, Date.parse(t.runStartedAt) - Date.parse(t.datetimeStart!), 'the difference is the wait before the run');
  }
  // Within a batch, a trial asked with the others waits until the one before it has finished: its wait counts that run.
  for (const batch of [trials.slice(0, 4), trials.slice(4)]) {
    for (let i = 1; i < batch.length; i++) {
      assert.ok(Date.parse(batch[i].runStartedAt!) >= Date.parse(batch[i - 1].datetimeComplete!), `trial ${batch[i].number} ran after ${batch[i - 1].number}`);
      assert.ok(Date.parse(batch[i].datetimeStart!) <= Date.parse(batch[i - 1].runStartedAt!), `trial ${batch[i].number} was asked before ${batch[i - 1].number} ran`);
    }
  }
  const rows = csvObjects(tune(['trials', '--study', 'd', '--columns', 'number,run_s,total_s', '--format', 'csv', '--storage', storage]).stdout);
  assert.deepEqual(rows, trials.map((t) => ({ number: String(t.number), run_s: String(t.runMs! / 1000), total_s: String(t.durationMs! / 1000) })));
  const help = tune(['trials', '--help']).stdout.replace(/\s+/g, ' ');
  assert.match(help, /run_s \(time the objective ran\), total_s \(from ask to finish, waiting in a deterministic batch included\)/);
});
