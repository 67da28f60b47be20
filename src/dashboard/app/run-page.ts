import { getJson, num, runPath, type Num, type RunDetail, type TrialBrief } from './api.js';
import { chartIn, disposeCharts } from './charts.js';
import { compareHref, runKey, trialKey } from './compare-picker.js';
import { fmt, fmtDuration, fmtTime, h } from './dom.js';
import { runValue } from './runs-page.js';
import { smoothingBox } from './smoothing.js';
import { linesOption } from '../series-plots.js';

/**
 * A full-training run: its test results, the baseline it trained (config) beside the study trial it came from and
 * that trial's value, per-epoch metric series (smoothing), error and logs. Live while the run trains.
 */
export async function renderRun(view: HTMLElement, runId: number): Promise<() => Promise<void>> {
  let drawn: { el: HTMLElement; name: string; points: readonly { step: number; value: number }[] }[] = [];
  const smoothing = smoothingBox(() => drawSeries());
  const drawSeries = (): void => {
    for (const c of drawn) chartIn(c.el).setOption(linesOption([{ label: c.name, points: c.points }], { smoothing: smoothing.value }), { notMerge: true });
  };
  const refresh = async (): Promise<void> => {
    const d = await getJson<RunDetail>(runPath(runId));
    disposeCharts();
    const r = d.run;
    drawn = Object.entries(d.series).map(([name, points]) => ({ name, points, el: h('div', { class: 'chart', 'data-series': name }) }));
    const results = Object.entries(r.result ?? {}).filter(([k]) => k !== 'attrs');
    const start = Date.parse(r.datetimeStart);
    const end = r.datetimeComplete === null ? null : Date.parse(r.datetimeComplete);
    view.replaceChildren(
      ...[
        h('h1', {}, `Run ${r.runId} · ${r.subsystem}`),
        h('table', { id: 'run-facts' }, h('tbody', {},
          fact('state', h('span', { class: `state-${r.state}` }, r.state)),
          fact('test value', fmt(runValue(r))),
          fact('started', fmtTime(start)),
          fact('ran', fmtDuration(end === null ? null : end - start)),
          fact('code version', r.codeVersion ?? '—'),
        )),
        h('h2', {}, 'Test results'),
        results.length === 0 ? h('p', { class: 'muted' }, r.state === 'RUNNING' ? 'still training' : 'none recorded') : h('table', { id: 'run-results' }, h('tbody', {}, ...results.map(([k, v]) => fact(k, show(v))))),
        h('h2', {}, 'Baseline and the study trial it came from'),
        sourceTable(d),
        r.error === null ? null : h('div', {}, h('h2', {}, `Error${r.error.code === null ? '' : ` (${r.error.code})`}`), h('pre', { id: 'run-error' }, r.error.message, '\n\n', r.error.stack ?? '')),
        h('h2', {}, `Per-epoch metrics (${drawn.length}) `, smoothing.element),
        h('div', { class: 'grid', id: 'series' }, ...drawn.map((c) => h('div', { class: 'card' }, h('h2', {}, c.name), c.el))),
        d.logs.length === 0 ? null : h('div', {}, h('h2', {}, 'Logs'), h('pre', { id: 'run-logs' }, d.logs.map((l) => `${new Date(l.timestamp).toISOString()} ${l.level} ${l.message}`).join('\n'))),
      ].filter((x): x is HTMLElement => x !== null),
    );
    drawSeries();
  };
  await refresh();
  return refresh;
}

/** The run's config (the baseline: full-training defaults with the trial's params) beside the source trial's params. */
function sourceTable(d: RunDetail): HTMLElement {
  const trial: TrialBrief | null = d.source?.trial ?? null;
  const keys = Object.keys(d.run.config).sort();
  const rows = keys.map((k) => h('tr', { class: trial !== null && k in trial.params ? 'from-trial' : '' }, h('th', {}, k), h('td', {}, show(d.run.config[k])), h('td', { class: 'muted' }, trial !== null && k in trial.params ? 'tuned (trial)' : 'full-training default')));
  return h('div', {}, sourceLine(d), h('table', { id: 'run-config' }, h('thead', {}, h('tr', {}, h('th', {}, 'config'), h('th', {}, 'value'), h('th', {}, 'from'))), h('tbody', {}, ...rows)));
}

/**
 * The study and trial the run came from, saying how the trial was found: the number `tune train` recorded on the
 * run, or (runs stored before it did) a match of the trial's params against the run's config.
 */
function sourceLine(d: RunDetail): HTMLElement {
  const s = d.source;
  if (s === null) return h('p', { class: 'muted', id: 'run-source' }, d.run.studyName === null ? 'this run names no study' : `study '${d.run.studyName}' is no longer in this store`);
  const trial = s.trial;
  const how = s.matchedBy === 'recorded' ? 'recorded on the run by tune train' : 'found by matching params: this run was stored before runs recorded their trial';
  const found = trial === null
    ? h('span', { id: 'run-trial-missing' }, s.matchedBy === 'recorded' ? `trial #${d.run.trialNumber ?? '?'} (recorded on the run) is no longer in the study` : 'no COMPLETE trial has exactly these params (this run was stored before runs recorded their trial)')
    : h('span', {}, h('a', { href: `#/study/${encodeURIComponent(s.study)}/trial/${trial.number}`, id: 'run-trial' }, `trial #${trial.number}`), ` (value ${fmt(num(trial.value))}; `, h('span', { id: 'run-trial-how', 'data-how': s.matchedBy }, how), ')');
  return h('p', { id: 'run-source' },
    'study ', h('a', { href: `#/study/${encodeURIComponent(s.study)}` }, s.study), ` (${s.direction}) · `, found,
    s.best !== null && trial !== null && s.best.number !== trial.number ? ` · the study's best is now #${s.best.number} (${fmt(num(s.best.value))})` : '',
    trial === null ? '' : h('span', {}, ' · ', h('a', { href: compareHref([trialKey(s.study, trial.number), runKey(d.run.runId)]), id: 'run-compare' }, 'compare this run with its trial')));
}

function show(v: unknown): string {
  if (typeof v === 'number') return fmt(v);
  if (typeof v === 'string') return v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? fmt(num(v as Num)) : v;
  return JSON.stringify(v);
}

function fact(k: string, v: Node | string | number): HTMLTableRowElement {
  return h('tr', {}, h('th', {}, k), h('td', {}, v));
}
