import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/runner/progress.js';
import { CaptureStream, manualClock } from './progress-capture.js';

const CURSOR_UP = /\u001b\[(\d+)A\r\u001b\[0J/g;

test('on a TTY the block is redrawn by moving up over exactly the lines drawn before', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: true, total: 4, direction: 'minimize', now: clock.now });
  progress.trialStarted(0, { lr: 0.01 });
  assert.equal(stream.chunks.length, 1);
  assert.match(stream.chunks[0], /^trials 0\/4 done · 1 running · no best yet · ETA —\n  trial 0  0ms  lr=0.01\n$/);
  clock.advance(200);
  progress.trialStarted(1, {});
  // Previous block: 2 lines → cursor up 2, then headline + 2 trial lines.
  const second = stream.chunks[1];
  assert.deepEqual([...second.matchAll(CURSOR_UP)].map((m) => m[1]), ['2']);
  assert.equal(second.replace(CURSOR_UP, '').split('\n').length - 1, 3);
  progress.close();
});

test('redraws are throttled: events closer than minRedrawMs draw once, later ones draw again', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: true, total: 2, direction: 'minimize', now: clock.now, minRedrawMs: 100 });
  progress.trialStarted(0, {});
  for (let batch = 1; batch <= 30; batch++) {
    clock.advance(1);
    progress.trialProgress(0, { epoch: 1, epochs: 2, batch, batches: 50 });
  }
  assert.equal(stream.chunks.length, 1, '30 updates within 30 ms: no redraw yet');
  clock.advance(100);
  progress.trialProgress(0, { batch: 31 });
  assert.equal(stream.chunks.length, 2);
  assert.match(stream.chunks[1], /trial 0 {2}epoch 1\/2 {2}batch 31\/50 {2}130ms/);
  progress.close();
});

test('a finished trial scrolls above the block as a permanent line, and the block shows the best and ETA', () => {
  const stream = new CaptureStream();
  const clock = manualClock();
  const progress = createProgress({ stream, isTTY: true, total: 3, direction: 'maximize', now: clock.now, concurrency: 1 });
  progress.trialStarted(0, {});
  clock.advance(10_000);
  progress.trialFinished(0, 'COMPLETE', 0.875);
  // Two writes: clear the block and print the permanent line, then draw the block again.
  const [, after] = stream.chunks[stream.chunks.length - 2].split('\u001b[0J');
  assert.equal(after, 'trial 0 COMPLETE 0.875 in 10.0s  (1/3 done, best 0.875 (trial 0))\n');
  const block = stream.text.slice(stream.text.lastIndexOf('(trial 0))\n') + '(trial 0))\n'.length);
  assert.equal(block, 'trials 1/3 done · 0 running · best 0.875 (trial 0) · ETA 20.0s\n');
  progress.close();
});

test('lines longer than the terminal are cut to its width so the cursor arithmetic holds', () => {
  const stream = new CaptureStream(40);
  const progress = createProgress({ stream, isTTY: true, total: 1, direction: 'minimize' });
  progress.trialStarted(0, { a_very_long_parameter_name: 'with a very long categorical value' });
  for (const line of stream.text.split('\n')) assert.ok(line.length <= 39, `${line.length}: ${line}`);
  progress.close();
});
