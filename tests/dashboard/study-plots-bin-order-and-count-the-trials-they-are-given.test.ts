import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edfOption, pairHeatmapOption, sliceOption, timelineOption } from '../../src/dashboard/study-plots.js';
import type { TrialRow, WireDistribution } from '../../src/dashboard/wire.js';

const row = (n: number, s: TrialRow['s'], v: TrialRow['v'], p: TrialRow['p'], w: string | null = null, t0: number | null = null, t1: number | null = null): TrialRow => ({ n, s, v, p, t0, t1, w });
const dists: Record<string, WireDistribution> = {
  x: { kind: 'float', low: 0, high: 1, log: false, step: null },
  k: { kind: 'int', low: 1, high: 3, log: false, step: 1 },
  c: { kind: 'categorical', choices: ['a', 'b'] },
};
type Series = { data: unknown[]; xAxisIndex?: number };

test('slice plots: one panel per param, each with every valued COMPLETE/PRUNED trial that has the param; FAIL left out', () => {
  const trials = [row(0, 'COMPLETE', 1, { x: 0.1, k: 1, c: 'a' }), row(1, 'PRUNED', 2, { x: 0.9, k: 3, c: 'b' }), row(2, 'FAIL', null, { x: 0.5, k: 2, c: 'a' }), row(3, 'COMPLETE', 'Infinity', { x: 0.5, k: 2, c: 'a' })];
  const o = sliceOption(trials, ['c', 'k', 'x'], dists, false) as { series: Series[]; xAxis: { type: string; data?: string[] }[] };
  assert.equal(o.series.length, 3);
  assert.deepEqual(o.series.map((s) => s.data.length), [2, 2, 2]);
  assert.deepEqual(o.xAxis.map((a) => a.type), ['category', 'value', 'value']);
  assert.deepEqual(o.xAxis[0].data, ['a', 'b']);
  // log y drops values ≤ 0, which a log axis cannot show.
  const logged = sliceOption([row(0, 'COMPLETE', -1, { x: 0.2 }), row(1, 'COMPLETE', 3, { x: 0.4 })], ['x'], dists, true) as { series: Series[] };
  assert.equal(logged.series[0].data.length, 1);
});

test('the pair heat map puts each COMPLETE trial in its bin and colours the bin by its best value in the study direction', () => {
  const trials = [
    row(0, 'COMPLETE', 5, { x: 0.01, k: 1 }), row(1, 'COMPLETE', 3, { x: 0.02, k: 1 }), // same bin (x bin 0, k=1): best 3
    row(2, 'COMPLETE', 7, { x: 0.99, k: 3 }), row(3, 'PRUNED', -100, { x: 0.99, k: 3 }), // PRUNED not counted
  ];
  const cells = (dir: 'minimize' | 'maximize'): unknown[] => ((pairHeatmapOption(trials, 'x', 'k', dists, dir, 10) as { series: Series[] }).series[0].data);
  assert.deepEqual(cells('minimize'), [[0, 0, 3, 2], [9, 2, 7, 1]]);
  assert.deepEqual(cells('maximize'), [[0, 0, 5, 2], [9, 2, 7, 1]]);
  const axes = pairHeatmapOption(trials, 'x', 'k', dists, 'minimize', 10) as { xAxis: { data: string[] }; yAxis: { data: string[] } };
  assert.equal(axes.xAxis.data.length, 10);
  assert.deepEqual(axes.yAxis.data, ['1', '2', '3'], 'a small int range gets one bin per value');
  const log = { lr: { kind: 'float', low: 1e-4, high: 1, log: true, step: null } } as const;
  const logCells = (pairHeatmapOption([row(0, 'COMPLETE', 1, { lr: 2e-3, c: 'b' })], 'lr', 'c', { ...dists, ...log }, 'minimize', 4) as { series: Series[] }).series[0].data;
  assert.deepEqual(logCells, [[1, 1, 1, 1]], '2e-3 falls in the second of four log-spaced bins over [1e-4, 1]');
});

test('the EDF rises from 1/n to 1 over the sorted COMPLETE values', () => {
  const o = edfOption([row(0, 'COMPLETE', 3, {}), row(1, 'COMPLETE', 1, {}), row(2, 'PRUNED', 0, {}), row(3, 'COMPLETE', 2, {})], false) as { series: Series[] };
  assert.deepEqual(o.series[0].data, [[1, 1 / 3], [2, 2 / 3], [3, 1]]);
});

test('the timeline has a row per worker and a segment per started trial; a RUNNING one ends now', () => {
  const o = timelineOption([row(0, 'COMPLETE', 1, {}, 'w:1', 100, 200), row(1, 'RUNNING', null, {}, 'w:0', 150, null), row(2, 'WAITING', null, {}, null)], 1000) as { yAxis: { data: string[] }; series: ({ name: string } & Series)[] };
  assert.deepEqual(o.yAxis.data, ['w:0', 'w:1']);
  const byName = Object.fromEntries(o.series.map((s) => [s.name, s.data]));
  assert.deepEqual(byName.COMPLETE, [[100, 'w:1'], [200, 'w:1'], '-']);
  assert.deepEqual(byName.RUNNING, [[150, 'w:0'], [1000, 'w:0'], '-']);
  assert.equal(byName.WAITING, undefined);
});
