import { join, resolve } from 'node:path';
import { ensureDataset, type EnsureResult } from '../../../data/ensure.js';
import { readManifest } from '../../../data/manifest.js';
import { readDefaultCorpus, readUserCorpus } from './corpus.js';
import { readCorpusDataset, writeCorpusDataset, type CllmManifest } from './files.js';

export interface PrepareCorpusOptions {
  /** A text file or a folder of them; absent: keep what is there, or build the default corpus. */
  readonly corpus?: string;
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
      const problemBefore = wanted === null ? null : sourceMismatch(dir, wanted);
      if (problemBefore !== null) return problemBefore;
      readCorpusDataset(dir);
      return null;
    },
    generate: async () => {
      const corpus = o.corpus === undefined ? readDefaultCorpus() : readUserCorpus(o.corpus);
      return writeCorpusDataset(dir, corpus, o.seed);
    },
  });
}

function sourceMismatch(dir: string, wanted: string): string | null {
  const m = readManifest<CllmManifest>(dir);
  if (m === undefined) return `${join(dir, 'manifest.json')} is missing`;
  return m.source === wanted ? null : `the dataset was built from ${m.source ?? 'an unknown source'}, --corpus asks for ${wanted}`;
}
