import type { Distribution, TrialRow } from './api.js';
import { h } from './dom.js';

/**
 * The trial table's filter by parameter ranges: a min and a max box for each numeric parameter, a choice list for
 * each categorical one. An empty box is no bound. A box that does not hold a number is marked invalid and named in
 * the filter's note, and filters nothing (it never hides rows by a value the user did not mean).
 */
export class ParamFilter {
  readonly element = h('details', { id: 'param-filter', class: 'param-filter' });
  readonly #note = h('span', { class: 'muted', id: 'param-filter-note' });
  #names: readonly string[] = [];
  #tests: ((t: TrialRow) => boolean)[] = [];
  readonly #onChange: () => void;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Rebuilds the boxes when the study's parameters change (bounds typed so far are kept by name). */
  setParams(names: readonly string[], dists: Readonly<Record<string, Distribution>>): void {
    if (names.join('\0') === this.#names.join('\0')) return;
    this.#names = names;
    const rows = names.map((p) => this.#controls(p, dists[p]));
    this.element.replaceChildren(h('summary', {}, 'filter by parameter ranges ', this.#note), h('div', { class: 'param-boxes' }, ...rows));
    this.#read();
  }

  /** Whether `t` lies inside every bound given. */
  accepts(t: TrialRow): boolean {
    return this.#tests.every((f) => f(t));
  }

  get active(): boolean {
    return this.#tests.length > 0;
  }

  #controls(p: string, d: Distribution | undefined): HTMLElement {
    if (d?.kind === 'categorical') {
      const sel = h('select', { 'data-param': p, 'data-bound': 'choice' }, h('option', { value: '' }, 'any'), ...d.choices.map((c) => h('option', { value: String(c) }, String(c))));
      sel.addEventListener('change', () => this.#changed());
      return h('label', {}, `${p} `, sel);
    }
    const box = (bound: 'min' | 'max'): HTMLInputElement => {
      const hint = d === undefined ? '' : bound === 'min' ? String(d.low) : String(d.high);
      const el = h('input', { type: 'text', inputmode: 'decimal', size: 8, placeholder: hint, 'data-param': p, 'data-bound': bound });
      el.addEventListener('change', () => this.#changed());
      return el;
    };
    return h('label', {}, `${p} `, box('min'), ' – ', box('max'));
  }

  #changed(): void {
    this.#read();
    this.#onChange();
  }

  #read(): void {
    const tests: ((t: TrialRow) => boolean)[] = [];
    const bad: string[] = [];
    for (const el of this.element.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
      const p = el.dataset.param!;
      const raw = el.value.trim();
      el.classList.remove('invalid');
      if (raw === '') continue;
      if (el.dataset.bound === 'choice') {
        tests.push((t) => String(t.p[p]) === raw);
        continue;
      }
      const x = Number(raw);
      if (!Number.isFinite(x)) {
        el.classList.add('invalid');
        bad.push(`${p} ${el.dataset.bound} '${raw}' is not a number`);
        continue;
      }
      const min = el.dataset.bound === 'min';
      tests.push((t) => {
        const v = t.p[p];
        return typeof v === 'number' && (min ? v >= x : v <= x);
      });
    }
    this.#tests = tests;
    this.#note.textContent = bad.length > 0 ? `(ignored: ${bad.join('; ')})` : tests.length > 0 ? `(${tests.length} bound${tests.length === 1 ? '' : 's'})` : '';
  }
}
