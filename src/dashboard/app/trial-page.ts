import { getJson, num, studyPath, type TrialDetail } from './api.js';
import { chartIn, disposeCharts } from './charts.js';
import { fmt, fmtDuration, h } from './dom.js';
import { linesOption, type SeriesPoint } from '../series-plots.js';
import { smoothingBox } from './smoothing.js';

/** A trial: params, value, timings, error with stack, every named metric series (step axis, smoothing), intermediate values, logs. */
export async function renderTrial(view: HTMLElement, study: string, number: number): Promise<() => Promise<void>> {
  let drawn: { el: HTMLElement; name: string; points: readonly SeriesPoint[] }[] = [];
  const smoothing = smoothingBox(() => drawSeries());
  const drawSeries = (): void => {
    for (const c of drawn) chartIn(c.el).setOption(linesOption([{ label: c.name, points: c.points }], { smoothing: smoothing.value }), { notMerge: true });
  };
  const refresh = async (): Promise<void> => {
    const d = await getJson<TrialDetail>(`${studyPath(study)}/trials/${number}`);
    disposeCharts(); // the page is drawn afresh: its old charts go with their elements
    const t = d.trial;
    const series = { ...d.series };
    const iv = Object.entries(t.intermediateValues);
    if (iv.length > 0 && series.intermediate === undefined) series['intermediate values'] = iv.map(([step, v]) => ({ step: Number(step), value: num(v) ?? NaN, timestamp: 0 }));
    const charts = Object.entries(series).map(([name, points]) => {
      const el = h('div', { class: 'chart', 'data-series': name });
      return { name, el, points };
    });
    view.replaceChildren(...present(
      h('h1', {}, `Trial #${t.number} of `, h('a', { href: `#/study/${encodeURIComponent(study)}` }, study)),
      h('table', { id: 'trial-facts' }, h('tbody', {},
        fact('state', h('span', { class: `state-${t.state}` }, t.state)),
        fact('value', fmt(num(t.value))),
        fact('started', t.datetimeStart ?? '—'),
        fact('completed', t.datetimeComplete ?? '—'),
        fact('objective ran', fmtDuration(t.runMs)),
        fact('since asked', fmtDuration(t.durationMs)),
        fact('worker', t.worker ?? '—'),
        fact('seed', t.seed ?? '—'),
        fact('budget', t.budget === null ? '—' : JSON.stringify(t.budget)),
        ...Object.entries(t.params).map(([k, v]) => fact(`param ${k}`, typeof v === 'number' ? fmt(v) : String(v))),
      )),
      t.error === null ? null : h('div', {}, h('h2', {}, `Error${t.error.code === null ? '' : ` (${t.error.code})`}`), h('pre', { id: 'trial-error' }, t.error.message, '\n\n', t.error.stack ?? '')),
      h('h2', {}, `Metric series (${charts.length}) `, smoothing.element),
      h('div', { class: 'grid', id: 'series' }, ...charts.map((c) => h('div', { class: 'card' }, h('h2', {}, c.name), c.el))),
      d.logs.length === 0 ? null : h('div', {}, h('h2', {}, 'Logs'), h('pre', { id: 'trial-logs' }, d.logs.map((l) => `${new Date(l.timestamp).toISOString()} ${l.level} ${l.message}`).join('\n'))),
    ));
    drawn = charts;
    drawSeries();
  };
  await refresh();
  return refresh;
}

function fact(k: string, v: Node | string | number): HTMLTableRowElement {
  return h('tr', {}, h('th', {}, k), h('td', {}, v));
}

function present(...xs: (Node | null)[]): Node[] {
  return xs.filter((x): x is Node => x !== null);
}
