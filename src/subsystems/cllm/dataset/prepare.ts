import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../../../errors.js';
import { ensureDataset, type EnsureResult } from '../../../data/ensure.js';
import { readManifest } from '../../../data/manifest.js';
import { readDefaultCorpus, readUserCorpus } from './corpus.js';
import type { Tokenizer } from './codec.js';
import { readCorpusDataset, writeCorpusDataset, type CllmManifest } from './files.js';

export interface PrepareCorpusOptions {
  /** A text file or a folder of them; absent: keep what is there, or build the default corpus. */
  readonly corpus?: string;
  /** Absent: keep what is there, or build a character dataset. */
  readonly tokenizer?: Tokenizer;
  readonly seed: number;
}

/**
 * "Build only when missing or invalid": keeps a dataset that reads back, unless `--corpus` names another source
 * than the one it was built from. The user's files are read before anything is written, so a bad path leaves
 * the old dataset in place.
 * @example await ensureCorpusDataset('datasets/cllm', { corpus: 'notes/', seed: 42 })
 */
export async function ensureCorpusDataset(dir: string, o: PrepareCorpusOptions): Promise<EnsureResult<CllmManifest>> {
  const wanted = o.corpus === undefined ? null : `file:${resolve(o.corpus)}`;
  return ensureDataset({
    findProblem: async () => {
      const mismatch = sourceMismatch(dir, wanted, o.tokenizer ?? null);
      if (mismatch !== null) return mismatch;
      readCorpusDataset(dir);
      return null;
    },
    generate: async () => {
      // Only --tokenizer changed: re-tokenise the user's files the dataset came from, not the default corpus.
      const from = o.corpus ?? previousUserCorpus(dir);
      const corpus = from === null ? readDefaultCorpus() : readUserCorpus(from);
      return writeCorpusDataset(dir, corpus, { seed: o.seed, tokenizer: o.tokenizer ?? 'char' });
    },
  });
}

function previousUserCorpus(dir: string): string | null {
  let source: string | undefined;
  try {
    source = readManifest<CllmManifest>(dir)?.source;
  } catch (e) {
    if (e instanceof DatasetError) return null;
    throw e;
  }
  return source?.startsWith('file:') === true && existsSync(source.slice(5)) ? source.slice(5) : null;
}

/** Why the dataset there is not the one asked for (another --corpus or --tokenizer), or null. */
function sourceMismatch(dir: string, source: string | null, tokenizer: Tokenizer | null): string | null {
  if (source === null && tokenizer === null) return null;
  const m = readManifest<CllmManifest>(dir);
  if (m === undefined) return `${join(dir, 'manifest.json')} is missing`;
  if (source !== null && m.source !== source) return `the dataset was built from ${m.source ?? 'an unknown source'}, --corpus asks for ${source}`;
  if (tokenizer !== null && m.tokenizer !== tokenizer) return `the dataset was tokenised with ${m.tokenizer}, --tokenizer asks for ${tokenizer}`;
  return null;
}
