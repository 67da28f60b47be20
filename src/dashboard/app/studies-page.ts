import { getJson, num, type StudyOverview } from './api.js';
import { fmt, fmtTime, h } from './dom.js';

const STATES = ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'] as const;

/** The studies page: one row per study with its counts per state, best value and last activity. */
export async function renderStudies(view: HTMLElement): Promise<() => Promise<void>> {
  const body = h('tbody');
  view.replaceChildren(
    h('h1', {}, 'Studies'),
    h('table', { id: 'studies' }, h('thead', {}, h('tr', {}, ...['study', 'target', 'direction', 'trials', ...STATES.map((s) => s.toLowerCase()), 'best', 'last activity'].map((c) => h('th', {}, c)))), body),
  );
  const refresh = async (): Promise<void> => {
    const studies = await getJson<StudyOverview[]>('/api/studies');
    body.replaceChildren(...studies.map(row));
    if (studies.length === 0) body.append(h('tr', {}, h('td', { colspan: 11, class: 'muted' }, 'no studies yet: start one with `tune --trials 12`')));
  };
  await refresh();
  return refresh;
}

function row(s: StudyOverview): HTMLTableRowElement {
  const target = (s.systemAttrs.target ?? {}) as { name?: unknown; path?: unknown };
  const targetText = typeof target.name === 'string' ? target.name : typeof target.path === 'string' ? (target.path.split('/').pop() ?? '') : '';
  return h(
    'tr',
    { 'data-study': s.name },
    h('td', {}, h('a', { href: `#/study/${encodeURIComponent(s.name)}` }, s.name)),
    h('td', { class: 'muted' }, targetText),
    h('td', {}, s.direction),
    h('td', { class: 'num' }, s.nTrials),
    ...STATES.map((st) => h('td', { class: `num state-${st}` }, s.counts[st] ?? 0)),
    h('td', { class: 'num' }, s.bestValue === null ? '—' : `${fmt(num(s.bestValue))} (#${s.bestTrialNumber})`),
    h('td', {}, fmtTime(s.lastActivityMs)),
  );
}
