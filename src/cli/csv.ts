/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, and a field that holds a comma, a
 * double quote, a CR or an LF enclosed in double quotes with each quote doubled. Readers (Python's csv, pandas,
 * R, DuckDB, spreadsheets) take it as is; the header row names the columns.
 */

/** A cell before quoting: null is an empty field; numbers keep full precision (±Infinity as inf/-inf). */
export type CsvValue = string | number | boolean | null;

const RECORD_END = '\r\n';

export function csvField(value: CsvValue): string {
  const text = csvText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + RECORD_END;
}

/** The whole document: the header record, then one record per row. */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvRecord(headers) + rows.map(csvRecord).join('');
}

function csvText(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  }
  return String(value);
}
