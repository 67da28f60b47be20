import { h } from './dom.js';

/** A smoothing slider (0 – 0.99, TensorBoard's EMA weight), remembered across pages in this tab. */
export function smoothingBox(onChange: () => void): { readonly element: HTMLElement; readonly value: number } {
  const stored = Number(sessionStorage.getItem('parzen.smoothing') ?? 0);
  const input = h('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: Number.isFinite(stored) ? stored : 0 });
  const shown = h('span', { class: 'muted' }, input.value);
  input.addEventListener('input', () => {
    shown.textContent = input.value;
    sessionStorage.setItem('parzen.smoothing', input.value);
    onChange();
  });
  return {
    element: h('label', { for: 'smoothing', class: 'smoothing' }, 'smoothing ', input, ' ', shown),
    get value() {
      return Number(input.value);
    },
  };
}
