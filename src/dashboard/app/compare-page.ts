import { getJson, num, runPath, studyPath, type RunDetail, type TrialDetail } from './api.js';
import { chartIn, disposeCharts } from './charts.js';
import { parseCompare, type CompareItem } from './compare-picker.js';
import { fmt, h } from './dom.js';
import { runValue } from './runs-page.js';
import { smoothingBox } from './smoothing.js';
import { lineColor, linesOption, metricNames, type NamedLine, type SeriesPoint } from '../series-plots.js';

interface Loaded {
  readonly label: string;
  readonly href: string;
  readonly value: number | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly series: Readonly<Record<string, readonly SeriesPoint[]>>;
}

/**
 * Two or more trials and runs on one chart per metric: every metric series any of them recorded (a trial's
 * intermediate values too), one line each, with smoothing and a log-y toggle; their params side by side below.
 */
export async function renderCompare(view: HTMLElement, query: string): Promise<() => Promise<void>> {
  const { items, bad } = parseCompare(query);
  if (items.length < 2) throw new Error(`comparing needs two or more trials or runs, got ${items.length}${bad.length > 0 ? ` (not understood: ${bad.join(', ')})` : ''}: tick them on a study's trial table or on the runs page`);
  let loaded: Loaded[] = [];
  let logY = false;
  const smoothing = smoothingBox(() => draw());
  const log = h('input', { type: 'checkbox', id: 'compare-log-y' });
  log.addEventListener('change', () => ((logY = log.checked), draw()));
  const charts = h('div', { class: 'grid', id: 'compare-charts' });
  const params = h('div', {});
  view.replaceChildren(h('h1', {}, `Comparing ${items.length}`), h('div', { class: 'toolbar' }, smoothing.element, h('label', { for: 'compare-log-y' }, log, ' log y')), charts, h('h2', {}, 'Params and values'), params);
  function draw(): void {
    disposeCharts();
    const names = metricNames(loaded.map((l) => l.series));
    charts.replaceChildren(...names.map((name) => h('div', { class: 'card' }, h('h2', {}, name), h('div', { class: 'chart', 'data-compare-metric': name }))));
    for (const name of names) {
      const lines: NamedLine[] = loaded.flatMap((l, i) => (l.series[name] === undefined ? [] : [{ label: l.label, points: l.series[name], color: lineColor(i) }]));
      chartIn(charts.querySelector<HTMLElement>(`[data-compare-metric="${CSS.escape(name)}"]`)!).setOption(linesOption(lines, { smoothing: smoothing.value, logY }), { notMerge: true });
    }
    if (names.length === 0) charts.replaceChildren(h('p', { class: 'muted' }, 'none of these recorded a metric series'));
  }
  const refresh = async (): Promise<void> => {
    loaded = await Promise.all(items.map(load));
    draw();
    params.replaceChildren(paramTable(loaded));
  };
  await refresh();
  return refresh;
}

async function load(it: CompareItem): Promise<Loaded> {
  if (it.kind === 'run') {
    const d = await getJson<RunDetail>(runPath(it.runId));
    return { label: `run ${it.runId}`, href: `#/run/${it.runId}`, value: runValue(d.run), params: d.run.config, series: d.series };
  }
  const d = await getJson<TrialDetail>(`${studyPath(it.study)}/trials/${it.number}`);
  const series: Record<string, readonly SeriesPoint[]> = { ...d.series };
  const iv = Object.entries(d.trial.intermediateValues).map(([step, v]) => ({ step: Number(step), value: num(v) ?? NaN })).sort((a, b) => a.step - b.step);
  if (iv.length > 0) series['intermediate values'] = iv;
  return { label: `${it.study} #${it.number}`, href: `#/study/${encodeURIComponent(it.study)}/trial/${it.number}`, value: num(d.trial.value), params: d.trial.params, series };
}

function paramTable(loaded: readonly Loaded[]): HTMLElement {
  const keys = [...new Set(loaded.flatMap((l) => Object.keys(l.params)))].sort();
  const cell = (v: unknown): string => (v === undefined ? '—' : typeof v === 'number' ? fmt(v) : typeof v === 'string' ? v : JSON.stringify(v));
  const differs = (k: string): boolean => new Set(loaded.map((l) => JSON.stringify(l.params[k]))).size > 1;
  return h('table', { id: 'compare-params' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...loaded.map((l) => h('th', {}, h('a', { href: l.href }, l.label))))),
    h('tbody', {},
      h('tr', {}, h('th', {}, 'value'), ...loaded.map((l) => h('td', { class: 'num' }, fmt(l.value)))),
      ...keys.map((k) => h('tr', { class: differs(k) ? 'differs' : '' }, h('th', {}, k), ...loaded.map((l) => h('td', { class: 'num' }, cell(l.params[k])))))));
}
