import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/runner/progress.js';
import { CaptureStream, manualClock } from './progress-capture.js';

test('the best value follows the direction and ignores pruned and failed trials', () => {
  for (const [direction, expected] of [['minimize', 'best 1 (trial 1)'], ['maximize', 'best 3 (trial 2)']] as const) {
    const stream = new CaptureStream();
    const progress = createProgress({ stream, isTTY: false, total: 5, direction });
    [2, 1, 3].forEach((v, n) => {
      progress.trialStarted(n, {});
      progress.trialFinished(n, 'COMPLETE', v);
    });
    progress.trialStarted(3, {});
    progress.trialFinished(3, 'PRUNED', direction === 'minimize' ? -100 : 100);
    progress.trialStarted(4, {});
    progress.trialFinished(4, 'FAIL', null);
    progress.close();
    assert.match(stream.text.trimEnd().split('\n').at(-1) ?? '', new RegExp(`5/5 trials done, ${expected.replace(/[()]/g, '\\$&')}$`));
  }
});

test('ETA = (remaining trials × mean duration − time running trials already spent) / concurrency', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: false, total: 10, direction: 'minimize', now: clock.now });
  assert.equal(progress.etaMs(), null);
  progress.trialStarted(0, {});
  progress.trialStarted(1, {});
  clock.advance(10_000);
  progress.trialFinished(0, 'COMPLETE', 1);
  progress.trialStarted(2, {});
  clock.advance(2_000);
  progress.trialFinished(1, 'COMPLETE', 1);
  // Mean 11 s; 8 left → 88 s, minus trial 2's 2 s → 86 s, over the 2 trials seen running at once.
  assert.equal(progress.etaMs(), 43_000);
  progress.close();
});

test('an explicit concurrency overrides the observed one', () => {
  const clock = manualClock();
  const progress = createProgress({ stream: new CaptureStream(), isTTY: false, total: 5, direction: 'minimize', now: clock.now, concurrency: 4 });
  progress.trialStarted(0, {});
  clock.advance(4000);
  progress.trialFinished(0, 'COMPLETE', 1);
  assert.equal(progress.etaMs(), 4000);
  progress.close();
});
