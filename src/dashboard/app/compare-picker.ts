import { h } from './dom.js';

/**
 * What the comparison page draws, as hash-route keys: `t=<number>@<study>` for a trial, `r=<id>` for a run (a
 * trial number has no `@`, so any study name survives). `#/compare?t=3@s&t=7@s&r=2`.
 */
export const trialKey = (study: string, n: number): string => `t=${encodeURIComponent(`${n}@${study}`)}`;
export const runKey = (id: number): string => `r=${id}`;
export const compareHref = (keys: readonly string[]): string => `#/compare?${keys.join('&')}`;

export type CompareItem = { readonly kind: 'trial'; readonly study: string; readonly number: number } | { readonly kind: 'run'; readonly runId: number };

/** The items of a `#/compare?…` query; a key that names nothing is reported by the page, not dropped silently. */
export function parseCompare(query: string): { items: CompareItem[]; bad: string[] } {
  const items: CompareItem[] = [];
  const bad: string[] = [];
  for (const [k, v] of new URLSearchParams(query)) {
    const at = v.indexOf('@');
    if (k === 't' && at > 0 && /^\d+$/.test(v.slice(0, at))) items.push({ kind: 'trial', study: v.slice(at + 1), number: Number(v.slice(0, at)) });
    else if (k === 'r' && /^\d+$/.test(v)) items.push({ kind: 'run', runId: Number(v) });
    else bad.push(`${k}=${v}`);
  }
  return { items, bad };
}

/** Tick boxes beside rows and one "compare" button, enabled once two or more are ticked; picks survive redraws. */
export function comparePicker(id: string): { readonly button: HTMLButtonElement; box(key: string): HTMLInputElement } {
  const picked = new Set<string>();
  const button = h('button', { type: 'button', id, disabled: true }, 'compare selected');
  const sync = (): void => {
    button.disabled = picked.size < 2;
    button.textContent = `compare selected (${picked.size})`;
  };
  button.addEventListener('click', () => {
    location.hash = compareHref([...picked]);
  });
  sync();
  return {
    button,
    box: (key) => {
      const el = h('input', { type: 'checkbox', 'data-compare': key, title: 'compare' });
      el.checked = picked.has(key);
      el.addEventListener('change', () => {
        if (el.checked) picked.add(key);
        else picked.delete(key);
        sync();
      });
      return el;
    },
  };
}
