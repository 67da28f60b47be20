/**
 * A raw dataset → the files training reads: BM25-mined hard negatives (the best-scoring corpus document that is
 * not relevant to the query and is not its positive text; Karpukhin et al. 2020, DPR §3.2), the tokenizer's
 * vocabulary, and JSONL splits with a manifest written last.
 */
import { join } from 'node:path';
import { writeTextAtomically } from '../../../data/atomic-write.js';
import { writeManifest } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { codeVersion } from '../../../util/code-version.js';
import { Bm25Index } from '../search/bm25.js';
import { passageText } from './beir.js';
import { FORMAT_VERSION, type Passage, type QueryRecord, type RawDataset, type RetrievalManifest } from './types.js';
import { buildVocab, vocabSize } from './vocab.js';

export const MINING = { k1: 0.9, b: 0.4, depth: 30 } as const;

function checkRaw(raw: RawDataset): void {
  if (raw.corpus.length < 2) throw new DatasetError(`${raw.source}: the corpus has ${raw.corpus.length} document(s); retrieval needs at least 2`);
  for (const s of SPLIT_NAMES) {
    if (raw.splits[s].length === 0) throw new DatasetError(`${raw.source}: the ${s} split has no queries; give more documents (each passage of 3+ sentences, or with a title, makes a query)`);
  }
}

/** The hard negative of every query that lacks one. */
export function mineNegatives(corpus: readonly Passage[], queries: RawDataset['splits']['train']): QueryRecord[] {
  const index = new Bm25Index(corpus.map(passageText), MINING);
  return queries.map((q) => {
    if (q.negative !== undefined && q.negative !== null) return { ...q, negative: q.negative };
    const relevant = new Set(q.relevant);
    const hit = index.search(q.query, MINING.depth).find((h) => !relevant.has(corpus[h.doc].id) && passageText(corpus[h.doc]) !== q.positive);
    return { ...q, negative: hit === undefined ? null : passageText(corpus[hit.doc]) };
  });
}

function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Writes `<dir>/{corpus,train,val,test}.jsonl`, `vocab.json` and, last, `manifest.json`. */
export async function writeRetrievalDataset(dir: string, raw: RawDataset, o: { seed: number; kind: RetrievalManifest['kind'] }): Promise<RetrievalManifest> {
  checkRaw(raw);
  const splits = Object.fromEntries(SPLIT_NAMES.map((s) => [s, mineNegatives(raw.corpus, raw.splits[s])])) as Record<SplitName, QueryRecord[]>;
  const vocab = buildVocab([...raw.corpus.map(passageText), ...splits.train.map((q) => q.query)]);
  await writeTextAtomically(join(dir, 'corpus.jsonl'), jsonl(raw.corpus));
  for (const s of SPLIT_NAMES) await writeTextAtomically(join(dir, `${s}.jsonl`), jsonl(splits[s]));
  await writeTextAtomically(join(dir, 'vocab.json'), `${JSON.stringify(vocab)}\n`);
  const manifest: RetrievalManifest = {
    formatVersion: FORMAT_VERSION, seed: o.seed, parzenVersion: codeVersion(), createdAt: new Date().toISOString(),
    source: raw.source, licence: raw.licence, kind: o.kind,
    counts: { corpus: raw.corpus.length, train: splits.train.length, val: splits.val.length, test: splits.test.length },
    queryKinds: raw.queryKinds, mining: MINING, vocabSize: vocabSize(vocab),
  };
  await writeManifest(dir, manifest);
  return manifest;
}
