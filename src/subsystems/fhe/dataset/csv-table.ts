/**
 * A numeric CSV with a binary label column, checked row by row: every bad row is named by its line number and
 * what is wrong with it. The label may be 0/1 or any two distinct values (the one that sorts last becomes 1).
 */
import { readFileSync } from 'node:fs';
import { DatasetError } from '../../../errors.js';

/** Features + bias must fit one row segment of a ciphertext at the smallest supported N (4096: 2048 slots, ≥ 2 rows). */
export const MAX_FEATURES = 1023;

export interface LabelledTable {
  readonly featureNames: readonly string[];
  readonly x: Float64Array[];
  readonly y: Uint8Array;
  /** The raw label that maps to 1. */
  readonly positive: string;
}

const MAX_PROBLEMS = 5;

function splitLine(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/** Parses `text` (the file's contents); `file` names it in errors. */
export function parseLabelledCsv(text: string, o: { file: string; label: string }): LabelledTable {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '');
  const labelIndex = header.indexOf(o.label);
  if (labelIndex < 0) throw new DatasetError(`${o.file}: no column '${o.label}' in the header (columns: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''}); pass --label COLUMN`);
  const featureNames = header.filter((_, i) => i !== labelIndex);
  if (featureNames.length < 1 || featureNames.length > MAX_FEATURES) throw new DatasetError(`${o.file}: ${featureNames.length} feature columns; between 1 and ${MAX_FEATURES} fit one ciphertext row`);
  const problems: string[] = [];
  const x: Float64Array[] = [];
  const labels: string[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const n = i + 2;
    const cells = splitLine(line);
    if (cells.length !== header.length) return void problems.push(`line ${n}: ${cells.length} columns, the header has ${header.length}`);
    const row = new Float64Array(featureNames.length);
    let col = 0;
    for (let c = 0; c < cells.length; c++) {
      if (c === labelIndex) continue;
      const v = Number(cells[c]);
      if (cells[c] === '' || !Number.isFinite(v)) return void problems.push(`line ${n}: column '${header[c]}' is ${JSON.stringify(cells[c])}, not a finite number`);
      row[col++] = v;
    }
    x.push(row);
    labels.push(cells[labelIndex]);
  });
  const classes = [...new Set(labels)].sort();
  if (classes.length !== 2) problems.push(`column '${o.label}' has ${classes.length} distinct values (${classes.slice(0, 5).join(', ')}); a binary label needs exactly 2`);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
    throw new DatasetError(`${o.file}: ${problems.length} problem(s): ${shown}${problems.length > MAX_PROBLEMS ? '; …' : ''}; fix or remove them`);
  }
  const positive = classes[1];
  return { featureNames, x, y: Uint8Array.from(labels, (l) => (l === positive ? 1 : 0)), positive };
}

export function readLabelledCsv(file: string, label: string): LabelledTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DatasetError(`${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); check the --csv path`, { cause });
  }
  return parseLabelledCsv(text, { file, label });
}
