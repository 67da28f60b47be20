import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linesOption, smoothSeries } from '../../src/dashboard/series-plots.js';

const pts = (vs: number[]): { step: number; value: number }[] => vs.map((value, step) => ({ step, value }));

test('smoothing 0 keeps the points; a constant series stays constant (debiased); a step is followed geometrically', () => {
  assert.deepEqual(smoothSeries(pts([3, 1, 2]), 0), pts([3, 1, 2]));
  for (const p of smoothSeries(pts([5, 5, 5, 5]), 0.9)) assert.ok(Math.abs(p.value - 5) < 1e-12);
  // x = 0, 1, 1: m = 0, 0.5, 0.75 over debias 1 − 0.5^n = 0.5, 0.75, 0.875.
  assert.deepEqual(smoothSeries(pts([0, 1, 1]), 0.5).map((p) => p.value), [0, 0.5 / 0.75, 0.75 / 0.875]);
  // A NaN point is kept and does not enter the average.
  const withNaN = smoothSeries(pts([2, NaN, 2]), 0.5);
  assert.ok(Number.isNaN(withNaN[1].value));
  assert.equal(withNaN[2].value, 2);
});

test('smoothed lines draw the raw points faint behind, in the same colour; log y drops values ≤ 0', () => {
  const o = linesOption([{ label: 'a', points: pts([1, 2, 3]) }, { label: 'b', points: pts([0, 4]) }], { smoothing: 0.6, logY: true }) as { series: { name: string; data: unknown[]; lineStyle: { color: string; opacity?: number } }[] };
  assert.deepEqual(o.series.map((s) => s.name), ['a', 'a', 'b', 'b']);
  assert.equal(o.series[0].lineStyle.opacity, 0.25);
  assert.equal(o.series[0].lineStyle.color, o.series[1].lineStyle.color);
  assert.equal(o.series[2].data.length, 1, 'the 0 of b cannot sit on a log axis');
  assert.equal((linesOption([{ label: 'a', points: pts([1, 2]) }], { smoothing: 0 }) as { series: unknown[] }).series.length, 1);
});
