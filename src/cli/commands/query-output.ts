/**
 * How the query commands print: one table, CSV or JSON writer per kind of row (studies, trials, runs), loaded only
 * when a command runs. Tables fit `outputWidth()` and say on stderr what they left out, so stdout stays the data.
 */
import type { FrozenRun, FrozenTrial, StudySummary } from '../../core/frozen.js';
import { columnsCsv, columnsTable, firstLine, formatSeconds, type Column } from '../columns.js';
import { formatNumber } from '../format.js';
import { outputWidth } from '../table.js';
import { DEFAULT_CSV_COLUMNS, DEFAULT_TABLE_COLUMNS, trialColumns } from '../trial-columns.js';
import type { OutputFormat } from './shared.js';
import { print, printJson } from './shared.js';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const STUDY_COLUMNS: readonly Column<StudySummary>[] = [
  { key: 'study', header: 'study', text: (s) => s.name, value: (s) => s.name, fit: 'shrink' },
  { key: 'direction', header: 'direction', text: (s) => s.direction, value: (s) => s.direction, fit: 'keep' },
  ...(['trials', 'complete', 'pruned', 'fail', 'running'] as const).map(
    (k): Column<StudySummary> => ({ key: k, header: k, text: (s) => String(count(s, k)), value: (s) => count(s, k), fit: 'keep' }),
  ),
  { key: 'best_value', header: 'best', text: (s) => formatNumber(s.bestValue), value: (s) => s.bestValue, fit: 'keep' },
  { key: 'best_trial', header: 'best #', text: (s) => (s.bestTrialNumber === null ? '-' : String(s.bestTrialNumber)), value: (s) => s.bestTrialNumber, fit: 'keep' },
  { key: 'created', header: 'created', text: (s) => s.createdAt.toISOString(), value: (s) => s.createdAt.toISOString(), fit: 'drop' },
];

function count(s: StudySummary, k: 'trials' | 'complete' | 'pruned' | 'fail' | 'running'): number {
  return k === 'trials' ? s.nTrials : s.counts[k.toUpperCase() as 'COMPLETE' | 'PRUNED' | 'FAIL' | 'RUNNING'];
}

const runValue = (r: FrozenRun): number | null => (typeof r.result?.['value'] === 'number' ? r.result['value'] : null);
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const runMs = (r: FrozenRun): number | null => (r.datetimeComplete === null ? null : r.datetimeComplete.getTime() - r.datetimeStart.getTime());

export const RUN_COLUMNS: readonly Column<FrozenRun>[] = [
  { key: 'run', header: 'run', text: (r) => String(r.runId), value: (r) => r.runId, fit: 'keep' },
  { key: 'subsystem', header: 'subsystem', text: (r) => r.subsystem, value: (r) => r.subsystem, fit: 'keep' },
  { key: 'study', header: 'study', text: (r) => r.studyName ?? '-', value: (r) => r.studyName, fit: 'keep' },
  { key: 'trial', header: 'trial', text: (r) => (r.trialNumber === null ? '-' : `#${r.trialNumber}`), value: (r) => r.trialNumber, fit: 'keep' },
  { key: 'state', header: 'state', text: (r) => r.state, value: (r) => r.state, fit: 'keep' },
  { key: 'value', header: 'value', text: (r) => formatNumber(runValue(r)), value: runValue, fit: 'keep' },
  { key: 'run_s', header: 'run s', text: (r) => formatSeconds(runMs(r)), value: (r) => seconds(runMs(r)), fit: 'keep' },
  { key: 'started', header: 'started', text: (r) => r.datetimeStart.toISOString(), value: (r) => r.datetimeStart.toISOString(), fit: 'drop' },
  { key: 'completed', header: 'completed', text: (r) => iso(r.datetimeComplete) ?? '-', value: (r) => iso(r.datetimeComplete), fit: 'drop' },
  { key: 'error', header: 'error', text: (r) => firstLine(r.error?.message), value: (r) => r.error?.message ?? null, fit: 'shrink' },
];

/** A table on stdout; what it left out to fit the width goes to stderr with the way to see it. */
export function printTable<T>(columns: readonly Column<T>[], rows: readonly T[], hint: string): void {
  const width = outputWidth();
  const { text, dropped } = columnsTable(columns, rows, width);
  print(text);
  if (dropped.length > 0) {
    const names = dropped.length > 6 ? `${dropped.slice(0, 3).join(', ')}, …, ${dropped.at(-1)}` : dropped.join(', ');
    process.stderr.write(`(${dropped.length} of ${columns.length} columns left out to fit ${width} characters: ${names}; ${hint})\n`);
  }
}

export function printCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): void {
  process.stdout.write(columnsCsv(columns, rows));
}

/**
 * Trials as the format asks; `json` is the value `--json` prints (one trial or a list), `heading` a line above a
 * table. The columns are checked before anything is printed, so a bad `--columns` leaves stdout empty.
 */
export function printTrials(
  trials: readonly FrozenTrial[],
  o: { readonly format: OutputFormat; readonly columns?: string; readonly json: () => unknown; readonly heading?: string },
): void {
  if (o.format === 'json') return printJson(o.json());
  const spec = o.columns ?? (o.format === 'csv' ? DEFAULT_CSV_COLUMNS : DEFAULT_TABLE_COLUMNS);
  const columns = trialColumns(spec, trials, { explicit: o.columns !== undefined });
  if (o.format === 'csv') return printCsv(columns, trials);
  if (o.heading !== undefined) print(o.heading);
  printTable(columns, trials, 'choose with --columns, e.g. --columns number,value,params.<name>, or see all with --format csv');
}
