import { num, type Distribution, type TrialRow, type TrialState } from './api.js';
import { fmt, fmtDuration, h } from './dom.js';
import { ParamFilter } from './param-filter.js';
import { comparePicker, trialKey } from './compare-picker.js';

const PAGE_SIZE = 50;

/** The trial table: sortable columns, filters by state and by parameter ranges, paging; a few hundred rows of DOM whatever the study's size. */
export class TrialTable {
  readonly element: HTMLElement;
  readonly #study: string;
  #names: readonly string[] = [];
  #rows: readonly TrialRow[] = [];
  #sortKey = 'n';
  #desc = false;
  #state: TrialState | '' = '';
  #page = 0;
  readonly #body = h('tbody');
  readonly #head = h('thead');
  readonly #info = h('span', { id: 'trial-count' });
  readonly #prev = h('button', { type: 'button' }, '‹ prev');
  readonly #next = h('button', { type: 'button' }, 'next ›');
  readonly #csv = h('button', { type: 'button', id: 'export-csv' }, 'CSV');
  readonly #json = h('button', { type: 'button', id: 'export-json' }, 'JSON');
  /** The rows the table shows, filtered and sorted, every page. */
  #shown: readonly TrialRow[] = [];
  readonly #compare = comparePicker('compare-trials');
  readonly #params = new ParamFilter(() => {
    this.#page = 0;
    this.#draw();
  });

  constructor(study: string) {
    this.#study = study;
    const select = h('select', { id: 'state-filter' }, h('option', { value: '' }, 'all states'), ...['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'].map((s) => h('option', { value: s }, s)));
    select.addEventListener('change', () => {
      this.#state = select.value as TrialState | '';
      this.#page = 0;
      this.#draw();
    });
    this.#prev.addEventListener('click', () => this.#go(-1));
    this.#next.addEventListener('click', () => this.#go(1));
    this.#csv.addEventListener('click', () => download(`${this.#study}-trials.csv`, 'text/csv', toCsv(this.#shown, this.#names)));
    this.#json.addEventListener('click', () => download(`${this.#study}-trials.json`, 'application/json', JSON.stringify(this.#shown.map((t) => toRecord(t, this.#names)), null, 2)));
    this.#head.addEventListener('click', (e) => {
      const key = (e.target as HTMLElement).closest('th')?.dataset.sort;
      if (key === undefined) return;
      this.#desc = this.#sortKey === key ? !this.#desc : false;
      this.#sortKey = key;
      this.#draw();
    });
    this.element = h('div', {}, h('div', { class: 'pager' }, select, this.#prev, this.#next, this.#info, h('span', { class: 'muted' }, 'export the rows shown:'), this.#csv, this.#json, this.#compare.button), this.#params.element, h('table', { id: 'trials' }, this.#head, this.#body));
  }

  /** Shows `rows` (already filtered by the page's toggles and brush). */
  update(rows: readonly TrialRow[], names: readonly string[], dists: Readonly<Record<string, Distribution>>): void {
    this.#rows = rows;
    this.#params.setParams(names, dists);
    if (names.join('\0') !== this.#names.join('\0')) {
      this.#names = names;
      const cols: [string, string][] = [['', ''], ['n', '#'], ['s', 'state'], ['v', 'value'], ['d', 'duration'], ...names.map((p): [string, string] => [`p.${p}`, p])];
      this.#head.replaceChildren(h('tr', {}, ...cols.map(([k, label]) => h('th', { 'data-sort': k === '' ? undefined : k }, label))));
    }
    this.#draw();
  }

  #go(delta: number): void {
    this.#page += delta;
    this.#draw();
  }

  #draw(): void {
    const shown = this.#rows.filter((t) => (this.#state === '' || t.s === this.#state) && (!this.#params.active || this.#params.accepts(t)));
    const key = sortKey(this.#sortKey);
    const sign = this.#desc ? -1 : 1;
    shown.sort((a, b) => compare(key(a), key(b), sign) || a.n - b.n);
    this.#shown = shown;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    this.#page = Math.min(Math.max(0, this.#page), pages - 1);
    const slice = shown.slice(this.#page * PAGE_SIZE, (this.#page + 1) * PAGE_SIZE);
    this.#body.replaceChildren(...slice.map((t) => this.#row(t)));
    this.#info.textContent = `${shown.length} trials · page ${this.#page + 1} of ${pages}`;
    this.#info.dataset.count = String(shown.length);
    this.#prev.disabled = this.#page === 0;
    this.#next.disabled = this.#page >= pages - 1;
    for (const th of this.#head.querySelectorAll('th')) th.textContent = th.textContent!.replace(/ [▲▼]$/, '') + (th.dataset.sort === this.#sortKey ? (this.#desc ? ' ▼' : ' ▲') : '');
  }

  #row(t: TrialRow): HTMLTableRowElement {
    const link = `#/study/${encodeURIComponent(this.#study)}/trial/${t.n}`;
    return h(
      'tr',
      { 'data-trial': t.n },
      h('td', {}, this.#compare.box(trialKey(this.#study, t.n))),
      h('td', { class: 'num' }, h('a', { href: link }, t.n)),
      h('td', { class: `state-${t.s}` }, t.s),
      h('td', { class: 'num' }, fmt(num(t.v))),
      h('td', { class: 'num' }, fmtDuration(t.t0 !== null && t.t1 !== null ? t.t1 - t.t0 : null)),
      ...this.#names.map((p) => h('td', { class: typeof t.p[p] === 'number' ? 'num' : '' }, typeof t.p[p] === 'number' ? fmt(t.p[p] as number) : String(t.p[p] ?? '—'))),
    );
  }
}

type Key = number | string | null;

function sortKey(k: string): (t: TrialRow) => Key {
  if (k === 'n') return (t) => t.n;
  if (k === 's') return (t) => t.s;
  if (k === 'v') return (t) => num(t.v);
  if (k === 'd') return (t) => (t.t0 !== null && t.t1 !== null ? t.t1 - t.t0 : null);
  const p = k.slice(2);
  return (t) => {
    const v = t.p[p];
    return v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
  };
}

/** `sign` -1 sorts descending; nulls (no value yet) sort last either way round. */
function compare(a: Key, b: Key, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return sign * (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
}

function toRecord(t: TrialRow, names: readonly string[]): Record<string, unknown> {
  const duration = t.t0 !== null && t.t1 !== null ? t.t1 - t.t0 : null;
  return { number: t.n, state: t.s, value: t.v, duration_ms: duration, ...Object.fromEntries(names.map((p) => [`params.${p}`, t.p[p] ?? null])) };
}

/** RFC 4180: fields with a quote, comma or line break are quoted, quotes doubled; CRLF line ends. */
export function toCsv(rows: readonly TrialRow[], names: readonly string[]): string {
  const header = ['number', 'state', 'value', 'duration_ms', ...names.map((p) => `params.${p}`)];
  const field = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows.map((t) => Object.values(toRecord(t, names)))].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
