import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import { splitTrials } from '../../src/samplers/tpe/split-trials.js';
import { float } from '../../src/space/distributions.js';
import { ask, frozenTrial, optimize } from './fixtures.js';

const space = { x: float(-10, 10), y: float(-10, 10) };
const objective = (p: Record<string, unknown>) => ((p.x as number) - 3) ** 2 + ((p.y as number) + 2) ** 2;

test('with the constant liar a running trial is ranked worst and counted as a bad observation', () => {
  const done = [frozenTrial({ number: 0, value: 1 }), frozenTrial({ number: 1, value: 2 })];
  const running = frozenTrial({ number: 2, state: 'RUNNING', params: { x: 0 } });
  const liar = splitTrials([...done, running], { direction: 'minimize', constantLiar: true, nBelow: () => 3, exclude: 3 });
  assert.deepEqual(Array.from(liar.numbers), [0, 1, 2]);
  assert.equal(liar.nFinished, 2);
  const honest = splitTrials([...done, running], { direction: 'minimize', constantLiar: false, nBelow: () => 1, exclude: 3 });
  assert.deepEqual(Array.from(honest.numbers), [0, 1]);
});

test('running trials change the next suggestion only when the constant liar is on', () => {
  for (const multivariate of [false, true]) {
    let changed = 0;
    for (let seed = 0; seed < 8; seed++) {
      const history = optimize(new TPESampler({ seed, multivariate }), space, objective, 20);
      const top = [...history].sort((a, b) => (a.value as number) - (b.value as number)).slice(0, 3);
      // Trials still running at the three best points: the liar says "those regions are bad" for now.
      const running = top.map((t, i) => frozenTrial({ number: 20 + i, state: 'RUNNING', params: t.params, distributions: { ...space } }));
      const failed = top.map((_, i) => frozenTrial({ number: 20 + i, state: 'FAIL' }));
      const next = (liar: boolean, trials: typeof history) => ask(new TPESampler({ seed, multivariate, constantLiar: liar }), trials, space);
      // Without the liar a running trial is invisible: same suggestion as if those trials had failed.
      assert.deepEqual(next(false, [...history, ...running]), next(false, [...history, ...failed]));
      if (JSON.stringify(next(true, [...history, ...running])) !== JSON.stringify(next(false, [...history, ...running]))) changed++;
    }
    assert.ok(changed >= 2, `multivariate=${multivariate}: the liar changed ${changed} of 8 suggestions`);
  }
});
