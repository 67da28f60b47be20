/**
 * Plain-text tables that fit a width. Each column says how it gives way when the rows are wider than the screen:
 * `keep` never (trial number, state, value), `shrink` cuts its cells with `…` (error messages, the width left over
 * goes to them), `drop` leaves the column out, last first (parameter columns beyond the width). Pure: the caller
 * decides the width (see `outputWidth`) and where a note about dropped columns goes.
 */

export type ColumnFit = 'keep' | 'shrink' | 'drop';

export interface TableColumn {
  readonly header: string;
  /** One cell per row; line breaks and tabs are shown as spaces so a row stays one line. */
  readonly cells: readonly string[];
  readonly fit: ColumnFit;
}

export interface RenderedTable {
  readonly text: string;
  /** Headers of the `drop` columns left out to fit the width, in their order. */
  readonly dropped: readonly string[];
}

const GAP = 2;
/** Width a shrinking column keeps before any droppable column is given up for it. */
const USEFUL_SHRINK_WIDTH = 24;

/** Render `columns` left-aligned, two spaces apart, within `width` characters (Infinity: never cut). */
export function renderTable(columns: readonly TableColumn[], width: number): RenderedTable {
  const cols = columns.map((c) => ({ ...c, header: oneLine(c.header), cells: c.cells.map(oneLine) }));
  const { widths, kept } = fitWidths(cols, width);
  const shown = cols.map((c, i) => ({ ...c, width: widths[i] })).filter((_, i) => kept[i]);
  const line = (cells: readonly string[]): string => cells.map((c, i) => fitCell(c, shown[i].width).padEnd(shown[i].width)).join(' '.repeat(GAP)).trimEnd();
  const nRows = Math.max(0, ...cols.map((c) => c.cells.length));
  const rows = Array.from({ length: nRows }, (_, r) => line(shown.map((c) => c.cells[r] ?? '')));
  return {
    text: [line(shown.map((c) => c.header)), line(shown.map((c) => '-'.repeat(c.width))), ...rows].join('\n'),
    dropped: cols.filter((_, i) => !kept[i]).map((c) => c.header),
  };
}

function fitWidths(cols: readonly TableColumn[], width: number): { widths: number[]; kept: boolean[] } {
  const natural = cols.map((c) => Math.max(len(c.header), ...c.cells.map(len)));
  const widths = [...natural];
  const kept = cols.map(() => true);
  const lineWidth = (): number => widths.reduce((sum, w, i) => sum + (kept[i] ? w + GAP : 0), -GAP);
  if (lineWidth() <= width) return { widths, kept };
  const shrinking = cols.flatMap((c, i) => (c.fit === 'shrink' ? [i] : []));
  const floor = (i: number): number => Math.min(natural[i], Math.max(1, len(cols[i].header)));
  // First give up droppable columns, last first, until the rest fit with each shrinking column at a useful width…
  for (const i of shrinking) widths[i] = Math.min(natural[i], Math.max(USEFUL_SHRINK_WIDTH, floor(i)));
  for (let i = cols.length - 1; i >= 0 && lineWidth() > width; i--) if (cols[i].fit === 'drop') kept[i] = false;
  // …then hand the shrinking columns all the width that is left, cutting the widest first.
  const others = lineWidth() - shrinking.reduce((sum, i) => sum + widths[i], 0);
  const filled = waterFill(shrinking.map((i) => ({ natural: natural[i], floor: floor(i) })), width - others);
  shrinking.forEach((i, k) => (widths[i] = filled[k]));
  return { widths, kept };
}

/**
 * Share `available` characters among shrinking columns, widest cut first: the largest cap such that every column at
 * min(natural, max(floor, cap)) fits. Nothing is cut below its floor (the header's width): then the line overflows.
 */
function waterFill(cols: readonly { natural: number; floor: number }[], available: number): number[] {
  const at = (cap: number): number[] => cols.map((c) => Math.min(c.natural, Math.max(c.floor, cap)));
  const total = (cap: number): number => at(cap).reduce((s, w) => s + w, 0);
  let lo = 0;
  let hi = Math.max(0, ...cols.map((c) => c.natural));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= available) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

/**
 * How wide a table on stdout may be: `$COLUMNS` when it is set to a positive integer, else the terminal's width,
 * else no limit — piped into a file, `grep` or `less -S`, rows are never cut (`--format csv`/`--json` are for tools).
 */
export function outputWidth(stream: { readonly isTTY?: boolean; readonly columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env['COLUMNS']);
  if (env['COLUMNS'] !== undefined && Number.isSafeInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return stream.columns;
  return Number.POSITIVE_INFINITY;
}

/** `text` cut to `width` characters, ending in `…` when cut. */
export function fitCell(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function len(text: string): number {
  return Array.from(text).length;
}
