import { num, type IntermediateCurve, type TrialRow, type WireDistribution as Distribution, type WireImportance as Importance } from './wire.js';

/**
 * ECharts options for the study's charts, as plain data: the page draws them on a canvas, `tune plot` renders
 * the same ones to SVG on the server (ECharts' SSR renderer), so a plot looks the same in both.
 */
export type ChartOption = Record<string, unknown>;

/** Optimization history: each trial's value by number, and the best so far as a step line. */
export function historyOption(trials: readonly TrialRow[], direction: 'minimize' | 'maximize', logY: boolean): ChartOption {
  const points: [number, number, string][] = [];
  const best: [number, number][] = [];
  let b: number | null = null;
  for (const t of trials) {
    const v = num(t.v);
    if (v === null || !Number.isFinite(v) || (logY && v <= 0)) continue;
    points.push([t.n, v, t.s]);
    if (t.s === 'COMPLETE' && (b === null || (direction === 'minimize' ? v < b : v > b))) b = v;
    if (b !== null) best.push([t.n, b]);
  }
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { data: ['value', 'best so far'], top: 0, right: 10 },
    grid: { left: 60, right: 20, top: 40, bottom: 70 },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: logY ? 'log' : 'value', name: 'value', scale: true },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 4 }],
    series: [
      { name: 'value', type: 'scatter', symbolSize: 5, large: points.length > 2000, data: points, itemStyle: { color: (p: { data: unknown }) => ((p.data as [number, number, string])[2] === 'PRUNED' ? '#d4a017' : '#2563eb') } },
      { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: best, lineStyle: { color: '#dc2626', width: 2 } },
    ],
  };
}

/** One axis per parameter plus the value; categorical params on category axes, log ranges on log axes. */
export function parallelOption(trials: readonly TrialRow[], names: readonly string[], dists: Record<string, Distribution>): ChartOption {
  const axes: { dim: number; name: string; id: string; type: string; data?: string[]; min?: number; max?: number }[] = names.map((p, dim) => {
    const d = dists[p];
    const base = { dim, name: p, id: `ax-${dim}` };
    if (d?.kind === 'categorical') return { ...base, type: 'category', data: d.choices.map(String) };
    return d === undefined ? { ...base, type: 'value' } : { ...base, type: d.log ? 'log' : 'value', min: d.low, max: d.high };
  });
  axes.push({ dim: names.length, name: 'value', id: `ax-${names.length}`, type: 'value' });
  const data = trials.map((t) => [...names.map((p) => (dists[p]?.kind === 'categorical' ? String(t.p[p]) : t.p[p])), num(t.v)]);
  return {
    animation: false,
    parallel: { left: 50, right: 80, top: 40, bottom: 30 },
    parallelAxis: axes.map((a) => ({ ...a, nameTextStyle: { fontSize: 11 }, scale: a.type === 'value' })),
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.4, color: '#2563eb' }, inactiveOpacity: 0.04, activeOpacity: 0.8, progressive: 2000, data }],
  };
}

export function importanceOption(imp: Importance): ChartOption {
  const rows = [...imp.importances].reverse();
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 120, right: 30, top: 20, bottom: 30 },
    xAxis: { type: 'value', max: 1, name: 'importance' },
    yAxis: { type: 'category', data: rows.map((r) => r.param) },
    series: [{ type: 'bar', data: rows.map((r) => Number(r.importance.toFixed(4))), itemStyle: { color: '#2563eb' }, label: { show: true, position: 'right' } }],
  };
}

/** Whether a trial falls inside every brushed interval (axis index → intervals in axis units; category axes by index). */
export function insideBrush(t: TrialRow, names: readonly string[], dists: Record<string, Distribution>, brush: ReadonlyMap<number, readonly [number, number][]>): boolean {
  for (const [dim, intervals] of brush) {
    if (intervals.length === 0) continue;
    let x: number | null;
    if (dim === names.length) x = num(t.v);
    else {
      const d = dists[names[dim]];
      const v = t.p[names[dim]];
      x = d?.kind === 'categorical' ? d.choices.indexOf(v ?? null) : typeof v === 'number' ? v : null;
    }
    if (x === null || !intervals.some(([lo, hi]) => x >= Math.min(lo, hi) && x <= Math.max(lo, hi))) return false;
  }
  return true;
}

/** A trial's named metric series on one chart, on a step axis. */
export function seriesOption(series: Readonly<Record<string, readonly { readonly step: number; readonly value: number }[]>>): ChartOption {
  const names = Object.keys(series);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: names, top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'value', scale: true },
    series: names.map((name) => ({ name, type: 'line', showSymbol: false, data: series[name].map((p) => [p.step, p.value]) })),
  };
}

/**
 * The COMPLETE trials among the best `pct` % of them by value (ties at the cutoff kept); every trial when `pct` is
 * 100. What the page's "top %" box and every plot on it show.
 */
export function topPercent(trials: readonly TrialRow[], direction: 'minimize' | 'maximize', pct: number): readonly TrialRow[] {
  if (!(pct < 100)) return trials;
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = trials.filter((t) => t.s === 'COMPLETE' && num(t.v) !== null && !Number.isNaN(num(t.v)));
  if (complete.length === 0) return [];
  const losses = complete.map((t) => sign * (num(t.v) as number)).sort((a, b) => a - b);
  const cutoff = losses[Math.max(0, Math.ceil((pct / 100) * losses.length) - 1)];
  return complete.filter((t) => sign * (num(t.v) as number) <= cutoff);
}

/** Every shown trial's intermediate values as one broken line (a gap between trials): 10,000 curves, one series. */
export function intermediateOption(curves: readonly IntermediateCurve[], shown: ReadonlySet<number>, logY: boolean): ChartOption {
  const data: (readonly [number, number] | '-')[] = [];
  for (const c of curves) {
    if (!shown.has(c.n)) continue;
    for (const [step, v] of c.points) {
      const y = num(v);
      if (y !== null && Number.isFinite(y) && !(logY && y <= 0)) data.push([step, y]);
    }
    data.push('-');
  }
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: logY ? 'log' : 'value', scale: true },
    series: [{ type: 'line', showSymbol: false, connectNulls: false, data, lineStyle: { width: 1, opacity: 0.35, color: '#2563eb' }, large: true }],
  };
}
