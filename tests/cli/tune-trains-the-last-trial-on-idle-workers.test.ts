import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tune } from './cli.js';
import { smallOptimizerStudy } from './small-optimizer-study.js';

type Trial = { number: number; state: string; userAttrs: Record<string, unknown> };

test('tune --trials 1 --workers 2 trains the trial on both workers, says so, and `tune trials --json` shows train_workers; --trial-train-workers 1 keeps it on one', () => {
  const { cwd, base } = smallOptimizerStudy();
  const run = (study: string, more: string[]): { stderr: string; trials: Trial[] } => {
    const r = tune([...base, '--study', study, '--trials', '1', '--workers', '2', ...more], { cwd, timeoutMs: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const listed = tune(['trials', '--study', study, '--json', '--storage', base[base.indexOf('--storage') + 1]], { cwd });
    assert.equal(listed.status, 0, listed.stderr);
    return { stderr: r.stderr, trials: JSON.parse(listed.stdout) as Trial[] };
  };
  const auto = run('auto', []);
  assert.match(auto.stderr, /running 1 on 2 workers \(.*, the last trials train on idle workers\)/);
  assert.match(auto.stderr, /^trial 0 started on 2 train workers {2}hidden_dim=16/m);
  assert.deepEqual(auto.trials.map((t) => [t.state, t.userAttrs['train_workers']]), [['COMPLETE', 2]]);
  const off = run('off', ['--trial-train-workers', '1']);
  assert.doesNotMatch(off.stderr, /train workers|idle workers/);
  assert.deepEqual(off.trials.map((t) => [t.state, t.userAttrs['train_workers']]), [['COMPLETE', 1]]);
});
