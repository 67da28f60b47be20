import type { FrozenTrial } from '../core/frozen.js';

/** Plain-text table with left-aligned columns. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatNumber(v: number | null): string {
  if (v === null) return '-';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(4);
  return String(+v.toPrecision(6));
}

export function formatParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`)
    .join(' ');
}

/** JSON with ±Infinity kept as the strings "Infinity"/"-Infinity" (JSON has no infinities) and Maps as objects. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      if (v instanceof Map) return Object.fromEntries(v);
      return v;
    },
    2,
  );
}

/** The JSON shape of a trial in `tune trials/best --json`. */
export function trialToJson(t: FrozenTrial): Record<string, unknown> {
  const durationMs = t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete.getTime() - t.datetimeStart.getTime() : null;
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    datetimeStart: t.datetimeStart?.toISOString() ?? null,
    datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
    durationMs,
    intermediateValues: Object.fromEntries(t.intermediateValues),
    error: t.error,
    worker: t.worker,
    seed: t.seed,
    codeVersion: t.codeVersion,
    budget: t.budget,
    retryOf: t.retryOf,
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
  };
}

export function trialRows(trials: readonly FrozenTrial[]): string[][] {
  return trials.map((t) => {
    const secs = t.datetimeStart !== null && t.datetimeComplete !== null ? ((t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 1000).toFixed(1) : '-';
    return [String(t.number), t.state, formatNumber(t.value), secs, formatParams(t.params), t.error?.message.split('\n')[0]?.slice(0, 60) ?? ''];
  });
}

export const TRIAL_HEADERS = ['#', 'state', 'value', 'secs', 'params', 'error'];
