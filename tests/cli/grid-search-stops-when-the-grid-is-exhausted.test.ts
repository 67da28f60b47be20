import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  params: { a: number; b: string };
}

const trialsOf = (storage: string, study: string): TrialJson[] => JSON.parse(tune(['trials', '--study', study, '--json', '--storage', storage]).stdout) as TrialJson[];
const points = (trials: readonly TrialJson[]): Set<string> => new Set(trials.map((t) => `${t.params.a}${t.params.b}`));

for (const mode of [['--workers', '2'], ['--workers', '2', '--seed', '3', '--deterministic-batch', '4']]) {
  test(`a 30-point grid asked for 40 trials after 12 runs the 18 points left, says it is exhausted and exits 0 (${mode.join(' ')})`, () => {
    const storage = tempStore();
    const args = ['--objective', fixture('grid'), '--sampler', 'grid', '--study', 'g', '--storage', storage, ...mode];
    assert.equal(tune([...args, '--trials', '12']).status, 0);
    const r = tune([...args, '--trials', '40']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /running 18 \(not 40: the grid has 18 of its 30 points left\)/);
    assert.match(r.stderr, /grid exhausted: all 30 points have a trial \(18 run now, 12 before\); stopped after 18 of the 40 trials asked for/);
    const trials = trialsOf(storage, 'g');
    assert.equal(trials.length, 30);
    assert.equal(points(trials).size, 30, 'no grid point is run twice');
    assert.ok(trials.every((t) => t.state === 'COMPLETE'));
  });
}

test('a fully covered grid runs nothing and says so, with and without --resume', () => {
  const storage = tempStore();
  const args = ['--objective', fixture('grid'), '--sampler', 'grid', '--study', 'g', '--storage', storage, '--workers', '2'];
  assert.equal(tune([...args, '--trials', '30']).status, 0);
  for (const extra of [['--trials', '40'], ['--trials', '35', '--resume']]) {
    const r = tune([...args, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /nothing to run: the grid is exhausted: all 30 points already have a trial/);
    assert.match(r.stderr, /nothing to run; best 0 \(trial \d+\)/);
    assert.doesNotMatch(r.stderr, /0\/0 trials done|no best yet|trial \d+ started/);
  }
  assert.equal(trialsOf(storage, 'g').length, 30);
});
