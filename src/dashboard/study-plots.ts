import type { ChartOption } from './chart-options.js';
import { num, type TrialRow, type WireDistribution as Distribution, type WireParam } from './wire.js';

/**
 * The study page's further plots as plain ECharts options (drawn on the page and by `tune plot`): slice plots,
 * a binned heat map for a pair of parameters, the timeline of trials per worker and the empirical distribution
 * function. Each takes the trials the page shows (its exclude/top-% toggles already applied).
 */

const STATE_COLOR: Readonly<Record<string, string>> = { COMPLETE: '#2563eb', PRUNED: '#d4a017', FAIL: '#dc2626', RUNNING: '#16a34a', WAITING: '#9ca3af' };

/** A trial's value when it has a finite one (COMPLETE, or PRUNED with its last report). */
function finiteValue(t: TrialRow, logY: boolean): number | null {
  const v = num(t.v);
  return v === null || !Number.isFinite(v) || (logY && v <= 0) ? null : v;
}

/** The axis of one parameter: categories for categorical ones, log for log ranges. */
function paramAxis(d: Distribution | undefined, name: string, gridIndex: number): Record<string, unknown> {
  const base = { gridIndex, name, nameLocation: 'middle', nameGap: 24, nameTextStyle: { fontSize: 11 } };
  if (d?.kind === 'categorical') return { ...base, type: 'category', data: d.choices.map(String) };
  if (d === undefined) return { ...base, type: 'value', scale: true };
  return { ...base, type: d.log ? 'log' : 'value', min: d.low, max: d.high };
}

function axisValue(d: Distribution | undefined, v: WireParam | undefined): number | string | null {
  if (v === undefined || v === null) return null;
  if (d?.kind === 'categorical') return String(v);
  return typeof v === 'number' ? v : null;
}

/**
 * Slice plots: one panel per parameter, each trial's value against that parameter (Optuna's plot_slice), coloured
 * by trial number so the sampler's drift shows; PRUNED trials (valued by their last report) drawn hollow.
 */
export function sliceOption(trials: readonly TrialRow[], names: readonly string[], dists: Readonly<Record<string, Distribution>>, logY: boolean): ChartOption {
  const n = Math.max(1, names.length);
  const perRow = Math.min(n, 4);
  const rows = Math.ceil(n / perRow);
  const cell = (i: number): Record<string, string> => {
    const w = 100 / perRow;
    const h = 100 / rows;
    return { left: `${(i % perRow) * w + 4.5}%`, width: `${w - 6}%`, top: `${Math.floor(i / perRow) * h + 4}%`, height: `${h - 16}%` };
  };
  const valued = trials.filter((t) => finiteValue(t, logY) !== null && (t.s === 'COMPLETE' || t.s === 'PRUNED'));
  const maxN = valued.reduce((m, t) => Math.max(m, t.n), 0);
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    grid: names.map((_, i) => cell(i)),
    xAxis: names.map((p, i) => paramAxis(dists[p], p, i)),
    yAxis: names.map((_, i) => ({ gridIndex: i, type: logY ? 'log' : 'value', scale: true, name: i % perRow === 0 ? 'value' : '' })),
    visualMap: { show: false, dimension: 2, min: 0, max: Math.max(1, maxN), seriesIndex: names.map((_, i) => i), inRange: { color: ['#bfdbfe', '#1e3a8a'] } },
    series: names.map((p, i) => ({
      type: 'scatter',
      name: p,
      xAxisIndex: i,
      yAxisIndex: i,
      symbolSize: 5,
      large: valued.length > 2000,
      data: valued.flatMap((t) => {
        const x = axisValue(dists[p], t.p[p]);
        return x === null ? [] : [{ value: [x, finiteValue(t, logY), t.n], itemStyle: t.s === 'PRUNED' ? { color: 'transparent', borderColor: '#d4a017', borderWidth: 1 } : undefined }];
      }),
    })),
  };
}

/** The bins of one parameter's axis: categories as they are, numeric ranges in `nBins` equal steps (log steps for log). */
interface Bins {
  readonly labels: readonly string[];
  index(v: WireParam | undefined): number | null;
}

const nonNegative = (i: number): number | null => (i < 0 ? null : i);

function binsOf(d: Distribution | undefined, trials: readonly TrialRow[], name: string, nBins: number): Bins {
  if (d?.kind === 'categorical') {
    const keys = d.choices.map(String);
    return { labels: keys, index: (v) => (v === undefined || v === null ? null : nonNegative(keys.indexOf(String(v)))) };
  }
  const xs = trials.map((t) => t.p[name]).filter((v): v is number => typeof v === 'number');
  const low = d?.low ?? Math.min(...xs);
  const high = d?.high ?? Math.max(...xs);
  const log = d?.log === true && low > 0;
  const f = log ? Math.log : (x: number): number => x;
  const lo = f(low);
  const span = f(high) - lo;
  const integer = d?.kind === 'int' && (d.high - d.low) / (d.step ?? 1) + 1 <= nBins && !log;
  const count = integer ? Math.round((d.high - d.low) / (d.step ?? 1)) + 1 : span > 0 ? nBins : 1;
  const at = (i: number): number => (log ? Math.exp(lo + ((i + 0.5) / count) * span) : integer ? d!.low + i * (d!.step ?? 1) : lo + ((i + 0.5) / count) * span);
  const label = (x: number): string => (integer ? String(x) : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(1) : String(Number(x.toPrecision(3))));
  return {
    labels: Array.from({ length: count }, (_, i) => label(at(i))),
    index: (v) => {
      if (typeof v !== 'number' || (log && v <= 0)) return null;
      const i = integer ? Math.round((v - d!.low) / (d!.step ?? 1)) : span > 0 ? Math.floor(((f(v) - lo) / span) * count) : 0;
      return Math.min(count - 1, Math.max(0, i));
    },
  };
}

/**
 * A heat map of `x` against `y`: the parameter plane cut into bins (categories, integer values, or `nBins` equal
 * or log steps), each bin coloured by the best value of the COMPLETE trials in it; empty bins stay blank. Unlike
 * an interpolated contour it never draws a value no trial reached.
 */
export function pairHeatmapOption(trials: readonly TrialRow[], x: string, y: string, dists: Readonly<Record<string, Distribution>>, direction: 'minimize' | 'maximize', nBins = 20): ChartOption {
  const complete = trials.filter((t) => t.s === 'COMPLETE' && finiteValue(t, false) !== null);
  const bx = binsOf(dists[x], complete, x, nBins);
  const by = binsOf(dists[y], complete, y, nBins);
  const cells = new Map<number, { best: number; count: number }>();
  const better = (a: number, b: number): boolean => (direction === 'minimize' ? a < b : a > b);
  for (const t of complete) {
    const i = bx.index(t.p[x]);
    const j = by.index(t.p[y]);
    if (i === null || j === null) continue;
    const v = finiteValue(t, false) as number;
    const c = cells.get(i * by.labels.length + j);
    if (c === undefined) cells.set(i * by.labels.length + j, { best: v, count: 1 });
    else cells.set(i * by.labels.length + j, { best: better(v, c.best) ? v : c.best, count: c.count + 1 });
  }
  const data = [...cells].map(([k, c]) => [Math.floor(k / by.labels.length), k % by.labels.length, c.best, c.count]);
  const values = data.map((d) => d[2]);
  const [min, max] = values.length === 0 ? [0, 1] : [Math.min(...values), Math.max(...values)];
  // The good end of the scale is dark whichever way the study optimises.
  const colors = ['#1e3a8a', '#3b82f6', '#bfdbfe', '#fef3c7', '#f59e0b'];
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    grid: { left: 80, right: 90, top: 20, bottom: 50 },
    xAxis: { type: 'category', name: x, nameLocation: 'middle', nameGap: 30, data: bx.labels, splitArea: { show: true } },
    yAxis: { type: 'category', name: y, data: by.labels, splitArea: { show: true } },
    visualMap: { type: 'continuous', dimension: 2, min, max: max > min ? max : min + 1, calculable: true, right: 0, top: 'middle', itemHeight: 160, text: ['', 'best'], inRange: { color: direction === 'minimize' ? colors : [...colors].reverse() } },
    series: [{ type: 'heatmap', name: `best value (${x} × ${y})`, data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } } }],
  };
}

/** Timeline: each trial a bar from start to finish on its worker's row, coloured by state (RUNNING ones end now). */
export function timelineOption(trials: readonly TrialRow[], nowMs: number): ChartOption {
  const started = trials.filter((t) => t.t0 !== null);
  const workers = [...new Set(started.map((t) => t.w ?? '(unknown)'))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const byState = new Map<string, ([number, string] | '-')[]>();
  for (const t of started) {
    const w = t.w ?? '(unknown)';
    const line = byState.get(t.s) ?? [];
    line.push([t.t0 as number, w], [t.t1 ?? nowMs, w], '-');
    byState.set(t.s, line);
  }
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { data: [...byState.keys()], top: 0, right: 10 },
    grid: { left: 110, right: 20, top: 30, bottom: 60 },
    xAxis: { type: 'time', name: 'time', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: workers, axisLabel: { fontSize: 10, width: 100, overflow: 'truncate' } },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 4 }],
    series: [...byState].map(([state, data]) => ({ name: state, type: 'line', data, connectNulls: false, showSymbol: false, lineStyle: { width: Math.max(2, Math.min(14, 180 / Math.max(1, workers.length))), color: STATE_COLOR[state] ?? '#6b7280', cap: 'butt' }, itemStyle: { color: STATE_COLOR[state] ?? '#6b7280' } })),
  };
}

/**
 * The empirical distribution function of the COMPLETE trials' values (Optuna's plot_edf): the share of trials
 * at or below each value, a step line. Comparing EDFs says which study (or top-% slice) reaches good values more often.
 */
export function edfOption(trials: readonly TrialRow[], logX: boolean): ChartOption {
  const values = trials.filter((t) => t.s === 'COMPLETE').map((t) => finiteValue(t, logX)).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const data = values.map((v, i) => [v, (i + 1) / values.length]);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: logX ? 'log' : 'value', name: 'value', nameLocation: 'middle', nameGap: 25, scale: true },
    yAxis: { type: 'value', min: 0, max: 1, name: 'share of trials ≤ value' },
    series: [{ type: 'line', name: 'EDF', step: 'end', showSymbol: false, data, lineStyle: { color: '#2563eb' } }],
  };
}
