import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/runner/progress.js';
import { CaptureStream, manualClock } from './progress-capture.js';

test('a trial on 2 train workers says so in its plain start line; one on 1 worker says nothing of it', () => {
  const stream = new CaptureStream();
  const progress = createProgress({ stream, isTTY: false, total: 2, direction: 'minimize', now: manualClock().now });
  progress.trialStarted(0, { lr: 0.01 }, 1);
  progress.trialStarted(1, { lr: 0.02 }, 2);
  progress.close();
  assert.deepEqual(stream.text.split('\n').slice(0, 2), ['trial 0 started  lr=0.01', 'trial 1 started on 2 train workers  lr=0.02']);
});

test('on a TTY the running trial’s line names its train workers', () => {
  const stream = new CaptureStream();
  const progress = createProgress({ stream, isTTY: true, total: 1, direction: 'minimize', now: manualClock().now });
  progress.trialStarted(4, { lr: 0.01 }, 3);
  assert.match(stream.chunks[0], /\n  trial 4 on 3 train workers  0ms  lr=0\.01\n$/);
  progress.close();
});
