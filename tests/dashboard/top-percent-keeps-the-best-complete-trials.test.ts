import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topPercent } from '../../src/dashboard/chart-options.js';
import type { TrialRow } from '../../src/dashboard/wire.js';

const row = (n: number, s: TrialRow['s'], v: TrialRow['v']): TrialRow => ({ n, s, v, p: {}, t0: null, t1: null, w: null });
const trials = [...Array.from({ length: 10 }, (_, i) => row(i, 'COMPLETE', i)), row(10, 'PRUNED', -5), row(11, 'FAIL', null), row(12, 'COMPLETE', '-Infinity')];

test('top k % keeps the best COMPLETE trials by the study direction, drops pruned and failed, and 100 % keeps all', () => {
  assert.equal(topPercent(trials, 'minimize', 100), trials);
  assert.deepEqual(topPercent(trials, 'minimize', 20).map((t) => t.n), [0, 1, 12]); // ceil(0.2·11) = 3 best: −∞, 0, 1
  assert.deepEqual(topPercent(trials, 'maximize', 10).map((t) => t.n), [8, 9]);
  assert.deepEqual(topPercent(trials, 'minimize', 1).map((t) => t.n), [12]);
  assert.deepEqual(topPercent([row(0, 'FAIL', null)], 'minimize', 50), []);
});

test('ties at the cutoff are all kept', () => {
  const tied = [row(0, 'COMPLETE', 1), row(1, 'COMPLETE', 1), row(2, 'COMPLETE', 1), row(3, 'COMPLETE', 2)];
  assert.deepEqual(topPercent(tied, 'minimize', 25).map((t) => t.n), [0, 1, 2]);
});
