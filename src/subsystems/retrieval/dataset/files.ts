/** Reading a prepared retrieval dataset back (what training, evaluation and `tune retrieve` load). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { FORMAT_VERSION, type Passage, type QueryRecord, type RetrievalManifest } from './types.js';
import { checkVocab, type Vocab } from './vocab.js';

export interface RetrievalDataset {
  readonly manifest: RetrievalManifest;
  readonly corpus: readonly Passage[];
  readonly splits: Readonly<Record<SplitName, readonly QueryRecord[]>>;
  readonly vocab: Vocab;
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) throw new DatasetError(`${path} is missing; run \`tune datasets prepare retrieval\` to rebuild the dataset`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch (cause) {
        throw new DatasetError(`${path}:${i + 1}: not valid JSON; delete the folder to rebuild it`, { cause });
      }
    });
}

/** The manifest of `dir`, checked for this parzen's format; DatasetError when missing or stale. */
export function readRetrievalManifest(dir: string): RetrievalManifest {
  const m = readManifest<RetrievalManifest>(dir);
  if (m === undefined) throw new DatasetError(`${join(dir, 'manifest.json')} is missing`);
  if (m.formatVersion !== FORMAT_VERSION || m.counts === undefined) {
    throw new DatasetError(`${join(dir, 'manifest.json')}: format ${m.formatVersion}, this parzen reads ${FORMAT_VERSION}; delete the folder to rebuild it`);
  }
  return m;
}

/** @example readRetrievalDataset('datasets/retrieval') */
export function readRetrievalDataset(dir: string): RetrievalDataset {
  const manifest = readRetrievalManifest(dir);
  const corpus = readLines<Passage>(join(dir, 'corpus.jsonl'));
  const splits = Object.fromEntries(SPLIT_NAMES.map((s) => [s, readLines<QueryRecord>(join(dir, `${s}.jsonl`))])) as Record<SplitName, QueryRecord[]>;
  for (const s of SPLIT_NAMES) {
    if (splits[s].length !== manifest.counts[s]) throw new DatasetError(`${join(dir, `${s}.jsonl`)}: ${splits[s].length} queries, the manifest says ${manifest.counts[s]}; delete the folder to rebuild it`);
  }
  if (corpus.length !== manifest.counts.corpus) throw new DatasetError(`${join(dir, 'corpus.jsonl')}: ${corpus.length} documents, the manifest says ${manifest.counts.corpus}; delete the folder to rebuild it`);
  const vocabPath = join(dir, 'vocab.json');
  if (!existsSync(vocabPath)) throw new DatasetError(`${vocabPath} is missing; delete the folder to rebuild it`);
  return { manifest, corpus, splits, vocab: checkVocab(JSON.parse(readFileSync(vocabPath, 'utf8')), vocabPath) };
}
