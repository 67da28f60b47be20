/** JSON Lines reading with errors that name the file, the line and the field, before anything is trained. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DatasetError } from '../../../errors.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

/** A DatasetError about `file:line`, with the fix. */
export function lineError(file: string, line: number, problem: string): DatasetError {
  return new DatasetError(`${file}:${line}: ${problem}`);
}

/** The UTF-8 text of `file`; DatasetError naming the flag and the path when it is missing, a folder or not UTF-8. */
export function readTextFile(file: string, flag: string): string {
  if (!existsSync(file)) throw new DatasetError(`${flag} ${file}: no such file`);
  if (!statSync(file).isFile()) throw new DatasetError(`${flag} ${file}: not a file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (cause) {
    throw new DatasetError(`${flag} ${file}: not UTF-8 text; convert it (iconv -t UTF-8)`, { cause });
  }
}

/** Every non-blank line of a JSONL file as an object, with its 1-based line number. */
export function readJsonl(file: string, flag: string): Array<{ line: number; value: JsonRecord }> {
  const out: Array<{ line: number; value: JsonRecord }> = [];
  readTextFile(file, flag)
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim().length === 0) return;
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch (e) {
        throw lineError(file, i + 1, `not valid JSON (${(e as Error).message}); each line must be one JSON object`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw lineError(file, i + 1, `expected a JSON object, got ${Array.isArray(v) ? 'an array' : JSON.stringify(v)}`);
      out.push({ line: i + 1, value: v as JsonRecord });
    });
  return out;
}

/** Field `key` as a non-empty string (ids may be numbers, read as their decimal text when `allowNumber`). */
export function stringField(r: JsonRecord, key: string, at: { file: string; line: number }, o: { optional?: boolean; allowNumber?: boolean; allowEmpty?: boolean } = {}): string | null {
  const v = r[key];
  if (v === undefined || v === null) {
    if (o.optional === true) return null;
    throw lineError(at.file, at.line, `field "${key}" is missing; every line needs a "${key}" string`);
  }
  if (o.allowNumber === true && typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw lineError(at.file, at.line, `field "${key}" must be a string, got ${JSON.stringify(v)}`);
  if (v.trim().length === 0 && o.allowEmpty !== true) {
    if (o.optional === true) return null;
    throw lineError(at.file, at.line, `field "${key}" is empty; give it text or remove the line`);
  }
  return v;
}
