import { disposeCharts } from './charts.js';
import { h } from './dom.js';
import { renderStudies } from './studies-page.js';
import { renderStudy } from './study-page.js';
import { renderTrial } from './trial-page.js';
import { renderRuns } from './runs-page.js';
import { renderRun } from './run-page.js';
import { renderCompare } from './compare-page.js';

/**
 * The dashboard's single page: hash routes (#/, #/study/NAME, #/study/NAME/trial/N, #/runs, #/run/ID,
 * #/compare?t=N@STUDY&r=ID…), and one EventSource whose
 * `change` events (the store's change counter moved) make the page on show fetch its data again.
 */
const view = document.getElementById('view')!;
const crumbs = document.getElementById('crumbs')!;
const live = document.getElementById('live')!;
let refresh: (() => Promise<void>) | undefined;
let routeSeq = 0;

async function route(): Promise<void> {
  const seq = ++routeSeq;
  disposeCharts();
  refresh = undefined;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    let r: () => Promise<void>;
    const q = location.hash.indexOf('?');
    if (parts[0].startsWith('compare')) {
      crumbs.replaceChildren(h('a', { href: '#/' }, 'studies'), ' / compare');
      r = await renderCompare(view, q < 0 ? '' : location.hash.slice(q + 1));
    } else if (parts[0] === 'runs') {
      crumbs.replaceChildren(h('a', { href: '#/' }, 'studies'), ' / runs');
      r = await renderRuns(view);
    } else if (parts[0] === 'run' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
      crumbs.replaceChildren(h('a', { href: '#/' }, 'studies'), ' / ', h('a', { href: '#/runs' }, 'runs'), ` / run ${parts[1]}`);
      r = await renderRun(view, Number(parts[1]));
    } else if (parts[0] === 'study' && parts[1] !== undefined && parts[2] === 'trial' && parts[3] !== undefined) {
      crumbs.replaceChildren(h('a', { href: '#/' }, 'studies'), ' / ', h('a', { href: `#/study/${encodeURIComponent(parts[1])}` }, parts[1]), ` / trial ${parts[3]}`);
      r = await renderTrial(view, parts[1], Number(parts[3]));
    } else if (parts[0] === 'study' && parts[1] !== undefined) {
      crumbs.replaceChildren(h('a', { href: '#/' }, 'studies'), ` / ${parts[1]}`);
      r = await renderStudy(view, parts[1]);
    } else {
      crumbs.replaceChildren('studies');
      r = await renderStudies(view);
    }
    if (seq === routeSeq) refresh = r;
  } catch (e) {
    view.replaceChildren(h('p', { class: 'state-FAIL', id: 'page-error' }, e instanceof Error ? e.message : String(e)));
  }
}

/** One refresh at a time; changes that arrive meanwhile are folded into one more. */
let running = false;
let again = false;
async function onChange(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      await refresh?.();
    } while (again);
  } catch (e) {
    console.error(e);
  } finally {
    running = false;
  }
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

function connect(): void {
  const events = new EventSource('/api/events');
  const show = (state: string, text: string): void => {
    live.dataset.state = state;
    live.textContent = text;
  };
  events.addEventListener('open', () => show('live', '● live'));
  events.addEventListener('error', () => show('offline', '● offline (retrying)'));
  events.addEventListener('change', () => void onChange());
}

window.addEventListener('hashchange', () => void route());
connect();
void route();
