import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { lrAt, resolveLrSchedule } from '../../src/ml/lr-schedule.js';

const s = { baseLr: 1e-3, warmupSteps: 10, totalSteps: 110, minLrRatio: 0.1 };
const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-15, `${a} ≠ ${b}`);

test('warmup rises linearly from baseLr/warmupSteps to baseLr', () => {
  close(lrAt(0, s), 1e-4);
  close(lrAt(4, s), 5e-4);
  close(lrAt(9, s), 1e-3);
});

test('cosine decays from baseLr to minLrRatio·baseLr over the remaining steps', () => {
  close(lrAt(10, s), 1e-3);
  // halfway through the decay: r + (1 − r)·½(1 + cos(π/2)) = 0.1 + 0.45
  close(lrAt(60, s), 1e-3 * 0.55);
  // a quarter of the way: 0.1 + 0.9·½(1 + cos(π/4))
  close(lrAt(35, s), 1e-3 * (0.1 + 0.45 * (1 + Math.SQRT1_2)));
  close(lrAt(110, s), 1e-4);
  close(lrAt(500, s), 1e-4);
});

test('the schedule is monotone: up during warmup, down after', () => {
  for (let t = 1; t < 10; t++) assert.ok(lrAt(t, s) > lrAt(t - 1, s));
  for (let t = 11; t <= 110; t++) assert.ok(lrAt(t, s) < lrAt(t - 1, s));
});

test('warmupFraction resolves to a step count of the run', () => {
  const r = resolveLrSchedule({ learningRate: 2e-4, warmupFraction: 0.05, minLrRatio: 0 }, 400);
  assert.deepEqual(r, { baseLr: 2e-4, warmupSteps: 20, totalSteps: 400, minLrRatio: 0 });
});

test('bad schedule options are rejected naming the field', () => {
  assert.throws(() => resolveLrSchedule({ learningRate: 0 }, 10), (e: unknown) => e instanceof ConfigError && /learningRate/.test(e.message));
  assert.throws(() => resolveLrSchedule({ learningRate: 1e-3, warmupSteps: 3, warmupFraction: 0.1 }, 10), /warmupSteps \/ warmupFraction/);
  assert.throws(() => resolveLrSchedule({ learningRate: 1e-3, minLrRatio: 2 }, 10), /minLrRatio/);
  assert.throws(() => resolveLrSchedule({ learningRate: 1e-3, warmupFraction: 1 }, 10), /warmupFraction/);
});
