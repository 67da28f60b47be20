import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';

test('--resume on a study that has its COMPLETE trials, and --trials 0, say there is nothing to run and show the study best', () => {
  const storage = tempStore();
  const args = ['--objective', fixture('quadratic'), '--study', 'q', '--storage', storage, '--workers', '0'];
  const first = tune([...args, '--trials', '3', '--json']);
  assert.equal(first.status, 0, first.stderr);
  const best = (JSON.parse(first.stdout) as { best: { number: number } }).best.number;
  const cases: [string[], RegExp][] = [
    [['--trials', '3', '--resume'], /nothing to run: the study already has 3 COMPLETE trials and --trials asks for 3 \(with --resume, --trials is the total\)/],
    [['--trials', '0'], /nothing to run: --trials is 0/],
  ];
  for (const [extra, why] of cases) {
    const r = tune([...args, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, why);
    assert.match(r.stderr, new RegExp(`nothing to run; best [-\\d.e]+ \\(trial ${best}\\)`));
    assert.match(r.stderr, new RegExp(`study 'q': 0 trials run \\(3 COMPLETE, 0 PRUNED, 0 FAIL in total\\); best #${best} `));
    assert.doesNotMatch(r.stderr, /0\/0 trials done|no best yet/);
  }
});
