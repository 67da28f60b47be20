import type { FrozenTrial } from '../core/frozen.js';
import { trialRunStartedAt } from '../core/system-attrs.js';
import { naturalSort } from './natural-sort.js';

export function formatNumber(v: number | null): string {
  if (v === null) return '-';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(4);
  return String(+v.toPrecision(6));
}

/** `name=value` pairs in natural order of the names (p2 before p10). */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  return naturalSort(Object.keys(params))
    .map((k) => [k, params[k]] as const)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`)
    .join(' ');
}

/**
 * A run's results as aligned `key  value` lines: scalars in full, arrays and objects (a vocabulary, a weight
 * vector) as a size, since `tune runs --json` has them whole.
 * @example formatResults({ test_loss: 1.70, vocab: { kind: 'char', chars: [...] } })
 */
export function formatResults(result: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(result);
  const width = Math.max(0, ...keys.map((k) => k.length));
  const show = (v: unknown): string => {
    if (typeof v === 'number') return formatNumber(v);
    if (Array.isArray(v)) return `[${v.length} items]`;
    if (v !== null && typeof v === 'object') return `{${Object.keys(v).length} fields}`;
    return String(v);
  };
  return keys.map((k) => `  ${k.padEnd(width)}  ${show(result[k])}`).join('\n');
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

/**
 * The JSON shape of a trial in `tune trials/best --json`. `runMs` is how long its objective ran (what the progress
 * line counts); `durationMs` is datetimeStart → datetimeComplete, from being asked to finishing, which includes
 * waiting for a worker in a deterministic batch.
 */
export function trialToJson(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    datetimeStart: t.datetimeStart?.toISOString() ?? null,
    runStartedAt: trialRunStartedAt(t)?.toISOString() ?? null,
    datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
    durationMs: totalMs(t),
    runMs: runMs(t),
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

/** Milliseconds the objective ran: from its start (system attr run_started_at) to the trial's completion. */
export function runMs(t: FrozenTrial): number | null {
  const start = trialRunStartedAt(t);
  return start !== null && t.datetimeComplete !== null ? Math.max(0, t.datetimeComplete.getTime() - start.getTime()) : null;
}

/** Milliseconds from the trial being asked (datetimeStart) to its completion, waiting included. */
export function totalMs(t: FrozenTrial): number | null {
  return t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete.getTime() - t.datetimeStart.getTime() : null;
}
