/**
 * The columns of `tune trials` and `tune best`: each parameter (and user attribute) is a column of its own, named
 * `params.<name>` (`user_attrs.<name>`), in natural order (p2 before p10). `--columns` picks and orders them; without
 * it the table shows the essentials and every parameter that fits the width, and CSV shows everything.
 *
 * Two durations, because a trial's datetimeStart is when it was asked, not when it ran: `run_s` is the time its
 * objective ran (what the progress line counts) and `total_s` the time from ask to finish, which includes waiting
 * for a worker in a deterministic batch.
 */
import type { FrozenTrial } from '../core/frozen.js';
import { ConfigError } from '../errors.js';
import type { CsvValue } from './csv.js';
import { firstLine, formatSeconds, type Column } from './columns.js';
import { formatNumber, runMs, totalMs } from './format.js';
import { naturalSort } from './natural-sort.js';
import type { ColumnFit } from './table.js';

export const DEFAULT_TABLE_COLUMNS = 'number,state,value,run_s,total_s,params,error';
export const DEFAULT_CSV_COLUMNS = 'number,state,value,started,completed,run_s,total_s,params,user_attrs,error,worker,seed,retry_of';

type Fixed = Omit<Column<FrozenTrial>, 'key'>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

const FIXED: Readonly<Record<string, Fixed>> = {
  number: { header: '#', text: (t) => String(t.number), value: (t) => t.number, fit: 'keep' },
  state: { header: 'state', text: (t) => t.state, value: (t) => t.state, fit: 'keep' },
  value: { header: 'value', text: (t) => formatNumber(t.value), value: (t) => t.value, fit: 'keep' },
  run_s: { header: 'run s', text: (t) => formatSeconds(runMs(t)), value: (t) => seconds(runMs(t)), fit: 'keep' },
  total_s: { header: 'total s', text: (t) => formatSeconds(totalMs(t)), value: (t) => seconds(totalMs(t)), fit: 'keep' },
  started: { header: 'started', text: (t) => iso(t.datetimeStart) ?? '-', value: (t) => iso(t.datetimeStart), fit: 'drop' },
  completed: { header: 'completed', text: (t) => iso(t.datetimeComplete) ?? '-', value: (t) => iso(t.datetimeComplete), fit: 'drop' },
  error: { header: 'error', text: (t) => firstLine(t.error?.message), value: (t) => t.error?.message ?? null, fit: 'shrink' },
  worker: { header: 'worker', text: (t) => t.worker ?? '-', value: (t) => t.worker, fit: 'drop' },
  seed: { header: 'seed', text: (t) => (t.seed === null ? '-' : String(t.seed)), value: (t) => t.seed, fit: 'drop' },
  retry_of: { header: 'retry of', text: (t) => (t.retryOf === null ? '-' : String(t.retryOf)), value: (t) => t.retryOf, fit: 'drop' },
};

const usage = (message: string): ConfigError => new ConfigError(message, { code: 'USAGE' });
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

const GROUPS = {
  params: { of: (t: FrozenTrial): Readonly<Record<string, unknown>> => t.params, header: (name: string) => name },
  user_attrs: { of: (t: FrozenTrial): Readonly<Record<string, unknown>> => t.userAttrs, header: (name: string) => `user_attrs.${name}` },
} as const;
type Group = keyof typeof GROUPS;

function groupColumn(group: Group, name: string, fit: ColumnFit): Column<FrozenTrial> {
  const { of, header } = GROUPS[group];
  const get = (t: FrozenTrial): unknown => (Object.hasOwn(of(t), name) ? of(t)[name] : undefined);
  return {
    key: `${group}.${name}`,
    header: header(name),
    text: (t) => cellText(get(t)),
    value: (t) => cellValue(get(t)),
    fit,
  };
}

function cellText(v: unknown): string {
  if (v === undefined) return '-';
  if (typeof v === 'number') return formatNumber(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function cellValue(v: unknown): CsvValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** The names a group has across `trials`, in natural order. */
function namesIn(group: Group, trials: readonly FrozenTrial[]): string[] {
  return naturalSort(new Set(trials.flatMap((t) => Object.keys(GROUPS[group].of(t)))));
}

/**
 * The columns `spec` names (comma-separated), for these trials. A whole group (`params`) gives one column per name;
 * in a table, those beyond the width are left out (and said so), while a column named on its own is only cut.
 * Throws a usage error naming the choices for an unknown column, or a parameter no listed trial has.
 */
export function trialColumns(spec: string, trials: readonly FrozenTrial[], o: { readonly explicit: boolean }): Column<FrozenTrial>[] {
  const names = spec.split(',').map((s) => s.trim());
  return names.flatMap((name): Column<FrozenTrial>[] => {
    const fixed = Object.hasOwn(FIXED, name) ? FIXED[name] : undefined;
    if (fixed !== undefined) return [{ key: name, ...fixed, fit: o.explicit && fixed.fit === 'drop' ? 'shrink' : fixed.fit }];
    if (name === 'params' || name === 'user_attrs') return namesIn(name, trials).map((n) => groupColumn(name, n, 'drop'));
    const dot = name.indexOf('.');
    const group = name.slice(0, dot);
    if (dot > 0 && (group === 'params' || group === 'user_attrs')) {
      const member = name.slice(dot + 1);
      const known = namesIn(group, trials);
      if (trials.length > 0 && !known.includes(member)) {
        throw usage(`--columns: no listed trial has ${group === 'params' ? 'a parameter' : 'a user attribute'} '${member}'; ${known.length === 0 ? 'they have none' : `they have ${known.join(', ')}`}`);
      }
      return [groupColumn(group, member, 'shrink')];
    }
    throw usage(
      `--columns: unknown column '${name}'; choose from ${Object.keys(FIXED).join(', ')}, params, params.<name>, user_attrs, user_attrs.<name>` +
        ` (comma-separated, e.g. --columns number,state,value,params.lr)`,
    );
  });
}
