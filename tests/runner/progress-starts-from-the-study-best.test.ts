import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/runner/progress.js';
import { CaptureStream, manualClock } from './progress-capture.js';

test('with nothing to run, the progress says so and shows the study best, never "0/0 trials done, no best yet"', () => {
  for (const isTTY of [false, true]) {
    const stream = new CaptureStream();
    const progress = createProgress({ stream, isTTY, total: 0, direction: 'minimize', best: { number: 3, value: 0.25 } });
    progress.close();
    assert.equal(stream.text, 'nothing to run; best 0.25 (trial 3)\n', `isTTY ${String(isTTY)}`);
  }
});

test('a resumed run counts the study best from its first line and replaces it only when beaten', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: false, total: 2, direction: 'maximize', now: clock.now, best: { number: 7, value: 0.9 } });
  progress.trialStarted(8, {});
  clock.advance(100);
  progress.trialFinished(8, 'COMPLETE', 0.5);
  progress.trialStarted(9, {});
  clock.advance(100);
  progress.trialFinished(9, 'COMPLETE', 0.95);
  progress.close();
  assert.deepEqual(stream.text.split('\n'), [
    'trial 8 started',
    'trial 8 COMPLETE 0.5 in 100ms  (1/2 done, best 0.9 (trial 7))',
    'trial 9 started',
    'trial 9 COMPLETE 0.95 in 100ms  (2/2 done, best 0.95 (trial 9))',
    '2/2 trials done, best 0.95 (trial 9)',
    '',
  ]);
});
