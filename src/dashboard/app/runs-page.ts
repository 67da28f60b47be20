import { getJson, num, type Num, type RunInfo } from './api.js';
import { comparePicker, runKey } from './compare-picker.js';
import { fmt, fmtDuration, fmtTime, h } from './dom.js';

/** The full-training runs page (`tune train`): one row per run, its test value, study, timings; pick runs to compare. */
export async function renderRuns(view: HTMLElement): Promise<() => Promise<void>> {
  const body = h('tbody');
  const picker = comparePicker('compare-runs');
  view.replaceChildren(
    h('h1', {}, 'Full-training runs'),
    h('div', { class: 'pager' }, picker.button, h('span', { class: 'muted' }, 'tick two or more runs to draw their metrics on one chart')),
    h('table', { id: 'runs' }, h('thead', {}, h('tr', {}, ...['', 'run', 'subsystem', 'study', 'trial', 'state', 'value', 'started', 'ran'].map((c) => h('th', {}, c)))), body),
  );
  const refresh = async (): Promise<void> => {
    const runs = await getJson<RunInfo[]>('/api/runs');
    body.replaceChildren(...[...runs].reverse().map((r) => row(r, picker.box(runKey(r.runId)))));
    if (runs.length === 0) body.append(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'no full-training runs yet: promote a trial with `tune export-baseline`, then `tune train --baseline <file>`')));
  };
  await refresh();
  return refresh;
}

/** A run's headline value: what the subsystem's fullTrain returned as `value` (its test metric). */
export function runValue(r: RunInfo): number | null {
  const v = r.result?.value;
  return typeof v === 'number' || typeof v === 'string' ? num(v as Num) : null;
}

function row(r: RunInfo, pick: HTMLInputElement): HTMLTableRowElement {
  const start = Date.parse(r.datetimeStart);
  const end = r.datetimeComplete === null ? null : Date.parse(r.datetimeComplete);
  return h(
    'tr',
    { 'data-run': r.runId },
    h('td', {}, pick),
    h('td', { class: 'num' }, h('a', { href: `#/run/${r.runId}` }, r.runId)),
    h('td', {}, r.subsystem),
    h('td', {}, r.studyName === null ? '—' : h('a', { href: `#/study/${encodeURIComponent(r.studyName)}` }, r.studyName)),
    h('td', { class: 'num' }, r.studyName === null || r.trialNumber === null ? '—' : h('a', { href: `#/study/${encodeURIComponent(r.studyName)}/trial/${r.trialNumber}` }, `#${r.trialNumber}`)),
    h('td', { class: `state-${r.state}` }, r.state),
    h('td', { class: 'num' }, fmt(runValue(r))),
    h('td', {}, fmtTime(start)),
    h('td', { class: 'num' }, fmtDuration(end === null ? null : end - start)),
  );
}
