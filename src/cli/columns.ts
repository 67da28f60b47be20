/**
 * A column of a query command's output, defined once for both renderings: the table cell (short, for people) and
 * the CSV value (full precision, full text, for tools). `key` is both the CSV header and the `--columns` name.
 */
import { toCsv, type CsvValue } from './csv.js';
import { renderTable, type ColumnFit, type RenderedTable } from './table.js';

export interface Column<T> {
  readonly key: string;
  readonly header: string;
  readonly text: (row: T) => string;
  readonly value: (row: T) => CsvValue;
  readonly fit: ColumnFit;
}

export function columnsTable<T>(columns: readonly Column<T>[], rows: readonly T[], width: number): RenderedTable {
  return renderTable(
    columns.map((c) => ({ header: c.header, cells: rows.map(c.text), fit: c.fit })),
    width,
  );
}

export function columnsCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  return toCsv(
    columns.map((c) => c.key),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}

/** A table's first line of a possibly multi-line text (error messages), or '' for none. */
export function firstLine(text: string | null | undefined): string {
  return text?.split('\n')[0] ?? '';
}

/** Seconds with one decimal for a table, '-' when unknown. */
export function formatSeconds(ms: number | null): string {
  return ms === null ? '-' : (ms / 1000).toFixed(1);
}
