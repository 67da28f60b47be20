import type { ChartOption } from './chart-options.js';

/** One point of a named metric series (a step and its value). */
export interface SeriesPoint {
  readonly step: number;
  readonly value: number;
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` (0: none, 0.99: heavy), debiased so the
 * first points are not pulled towards zero (s_i = m_i / (1 − w^(i+1)), m_i = w·m_{i−1} + (1 − w)·x_i). Points that
 * are not finite are kept as they are and do not enter the average.
 */
export function smoothSeries(points: readonly SeriesPoint[], w: number): SeriesPoint[] {
  if (!(w > 0)) return [...points];
  const weight = Math.min(w, 0.999);
  let m = 0;
  let n = 0;
  return points.map((p) => {
    if (!Number.isFinite(p.value)) return p;
    m = weight * m + (1 - weight) * p.value;
    n++;
    return { step: p.step, value: m / (1 - weight ** n) };
  });
}

export interface NamedLine {
  readonly label: string;
  readonly points: readonly SeriesPoint[];
  /** Its colour (default: the palette's by position); a comparison keeps one colour per item across charts. */
  readonly color?: string;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#1e40af', '#854d0e'];
export const lineColor = (i: number): string => PALETTE[i % PALETTE.length];

/**
 * Lines on one step axis: each drawn smoothed (`smoothing` > 0) over its raw points in the same colour, faint.
 * A trial's metric series, and the comparison of several trials or runs on one metric, both use it.
 */
export function linesOption(lines: readonly NamedLine[], o: { smoothing: number; logY?: boolean; title?: string }): ChartOption {
  const logY = o.logY === true;
  const pts = (ps: readonly SeriesPoint[]): [number, number][] => ps.filter((p) => Number.isFinite(p.value) && !(logY && p.value <= 0)).map((p) => [p.step, p.value]);
  const series = lines.flatMap((l, i) => {
    const color = l.color ?? lineColor(i);
    const few = l.points.length < 60;
    const main = { name: l.label, type: 'line', showSymbol: few, symbolSize: 4, data: pts(smoothSeries(l.points, o.smoothing)), lineStyle: { color, width: 2 }, itemStyle: { color } };
    if (!(o.smoothing > 0)) return [main];
    return [{ name: l.label, type: 'line', showSymbol: false, silent: true, data: pts(l.points), lineStyle: { color, width: 1, opacity: 0.25 }, itemStyle: { color }, tooltip: { show: false } }, main];
  });
  return {
    animation: false,
    title: o.title === undefined ? undefined : { text: o.title, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: lines.length > 1 ? { data: lines.map((l) => l.label), bottom: 0, type: 'scroll' } : undefined,
    grid: { left: 60, right: 20, top: o.title === undefined ? 20 : 36, bottom: lines.length > 1 ? 56 : 40 },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: logY ? 'log' : 'value', scale: true },
    series,
  };
}

/** Every metric name any of `owners` recorded, in first-seen order (the comparison draws one chart per name). */
export function metricNames(owners: readonly Readonly<Record<string, unknown>>[]): string[] {
  return [...new Set(owners.flatMap((s) => Object.keys(s)))];
}
