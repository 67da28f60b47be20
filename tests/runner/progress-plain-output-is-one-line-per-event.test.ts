import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/runner/progress.js';
import { CaptureStream, manualClock } from './progress-capture.js';

test('without a TTY each start and finish is one plain line, with no escape codes', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: false, total: 2, direction: 'minimize', now: clock.now });
  progress.trialStarted(0, { lr: 0.00123456, layers: 4, act: 'relu' });
  clock.advance(1500);
  progress.trialFinished(0, 'COMPLETE', 0.5);
  progress.trialStarted(1, {});
  clock.advance(800);
  progress.trialFinished(1, 'PRUNED', null);
  progress.close();
  assert.ok(!stream.text.includes('\u001b'), 'no ANSI escape codes');
  assert.deepEqual(stream.text.split('\n'), [
    'trial 0 started  lr=0.001235 layers=4 act=relu',
    'trial 0 COMPLETE 0.5 in 1.5s  (1/2 done, best 0.5 (trial 0))',
    'trial 1 started',
    'trial 1 PRUNED in 800ms  (2/2 done, best 0.5 (trial 0))',
    '2/2 trials done, best 0.5 (trial 0)',
    '',
  ]);
});

test('epoch progress is printed at most once per epoch, however many batches are reported', () => {
  const stream = new CaptureStream();
  const progress = createProgress({ stream, isTTY: false, total: 1, direction: 'minimize' });
  progress.trialStarted(3, {});
  for (let epoch = 1; epoch <= 2; epoch++) {
    for (let batch = 1; batch <= 50; batch++) progress.trialProgress(3, { epoch, epochs: 2, batch, batches: 50 });
  }
  progress.trialProgress(3, { batch: 50 });
  const lines = stream.text.trimEnd().split('\n');
  assert.deepEqual(lines, ['trial 3 started', 'trial 3 epoch 1/2', 'trial 3 epoch 2/2']);
  progress.close();
});

test('events after close, and progress for unknown trials, write nothing', () => {
  const stream = new CaptureStream();
  const progress = createProgress({ stream, isTTY: false, total: 1, direction: 'maximize' });
  progress.trialProgress(9, { epoch: 1 });
  assert.equal(stream.text, '');
  progress.close();
  const after = stream.text;
  progress.trialStarted(0, {});
  progress.trialFinished(0, 'COMPLETE', 1);
  progress.close();
  assert.equal(stream.text, after);
});
