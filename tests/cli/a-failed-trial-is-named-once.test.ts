import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, tempStore, tune } from './cli.js';

// Regression: the summary said "first, trial 0: trial 0: the objective returned NaN".
for (const workers of ['0', '2']) {
  test(`a NaN objective value is reported as "trial N: the objective returned NaN", the trial named once (--workers ${workers})`, () => {
    const storage = tempStore();
    const r = tune(['--objective', fixture('nan'), '--trials', '8', '--study', 'n', '--seed', '2', '--storage', storage, '--workers', workers]);
    assert.equal(r.status, 1, r.stderr);
    const summary = /tune: \d+ of 8 trials failed; first, trial (\d+): the objective returned NaN, not a number/.exec(r.stderr);
    assert.ok(summary !== null, r.stderr);
    assert.doesNotMatch(r.stderr, /trial \d+: trial \d+/);
    const trials = JSON.parse(tune(['trials', '--study', 'n', '--json', '--storage', storage]).stdout) as { number: number; error: { message: string } | null }[];
    const first = trials.find((t) => t.number === Number(summary[1]));
    assert.match(first?.error?.message ?? '', /^the objective returned NaN/, 'the stored message does not repeat its own trial number');
  });
}

test('a message that already names its trial ("trial 0 ran past the timeout") is not labelled again', () => {
  process.env.PARZEN_TEST_SLEEP_MS = '600000';
  const r = tune(['--objective', fixture('sleepy'), '--trials', '1', '--trial-timeout', '0.5', '--storage', tempStore(), '--workers', '1']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /1 of 1 trials failed; first, trial 0 ran past the 500 ms trial timeout \(--trial-timeout\)/);
  assert.doesNotMatch(r.stderr, /trial 0: trial 0/);
});
