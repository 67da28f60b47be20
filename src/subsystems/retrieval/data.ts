/**
 * A prepared dataset in memory for training: every text tokenised once (per thread, while the files are
 * unchanged), training batches shuffled per (seed, epoch), fixed validation batches. No TensorFlow.js here.
 */
import { join } from 'node:path';
import { FileCache } from '../../data/file-cache.js';
import type { SplitName } from '../../data/splits.js';
import { Rng } from '../../util/rng.js';
import { passageText } from './dataset/beir.js';
import { readRetrievalDataset, type RetrievalDataset } from './dataset/files.js';
import { Tokenizer } from './dataset/vocab.js';
import type { RetrievalHyperparams } from './hyperparams.js';
import { padBatch, type TripleBatch } from './model/batch.js';

/** One split tokenised: ids of query, positive and negative texts, and the corpus indices relevant to each query. */
export interface TokenisedSplit {
  readonly queries: readonly Int32Array[];
  readonly positives: readonly Int32Array[];
  /** null where the dataset had no hard negative for the query (a random corpus document stands in). */
  readonly negatives: ReadonlyArray<Int32Array | null>;
  readonly relevant: ReadonlyArray<ReadonlySet<string>>;
}

export interface RetrievalData {
  readonly dir: string;
  readonly dataset: RetrievalDataset;
  readonly tokenizer: Tokenizer;
  readonly corpusTexts: readonly string[];
  readonly corpusTokens: readonly Int32Array[];
  readonly splits: Readonly<Record<SplitName, TokenisedSplit>>;
}

const cache = new FileCache<RetrievalDataset>(async (manifestPath) => readRetrievalDataset(join(manifestPath, '..')));

function tokenise(ds: RetrievalDataset, tok: Tokenizer, split: SplitName, hp: Pick<RetrievalHyperparams, 'maxQueryLen' | 'maxDocLen'>): TokenisedSplit {
  const qs = ds.splits[split];
  return {
    queries: qs.map((q) => tok.encode(q.query, hp.maxQueryLen)),
    positives: qs.map((q) => tok.encode(q.positive, hp.maxDocLen)),
    negatives: qs.map((q) => (q.negative === null ? null : tok.encode(q.negative, hp.maxDocLen))),
    relevant: qs.map((q) => new Set(q.relevant)),
  };
}

/** @example const data = await loadRetrievalData('datasets', hp) */
export async function loadRetrievalData(datasetsDir: string, hp: Pick<RetrievalHyperparams, 'maxQueryLen' | 'maxDocLen'>): Promise<RetrievalData> {
  const dir = join(datasetsDir, 'retrieval');
  const dataset = await cache.read(join(dir, 'manifest.json'));
  const tokenizer = new Tokenizer(dataset.vocab);
  const corpusTexts = dataset.corpus.map(passageText);
  return {
    dir,
    dataset,
    tokenizer,
    corpusTexts,
    corpusTokens: corpusTexts.map((t) => tokenizer.encode(t, hp.maxDocLen)),
    splits: { train: tokenise(dataset, tokenizer, 'train', hp), val: tokenise(dataset, tokenizer, 'val', hp), test: tokenise(dataset, tokenizer, 'test', hp) },
  };
}

/** The batch of rows `rows` of `split`; a missing negative is a corpus document drawn from `rng`. */
export function tripleBatch(data: RetrievalData, split: TokenisedSplit, rows: readonly number[], rng: Rng): TripleBatch {
  return {
    queries: padBatch(rows.map((i) => split.queries[i])),
    positives: padBatch(rows.map((i) => split.positives[i])),
    negatives: padBatch(rows.map((i) => split.negatives[i] ?? data.corpusTokens[rng.int(data.corpusTokens.length)])),
  };
}

/** Training batches of one epoch: rows shuffled from (seed, epoch); a last batch of fewer than 2 rows is dropped. */
export function* trainBatches(data: RetrievalData, batchSize: number, o: { seed: number; epoch: number }): Generator<TripleBatch> {
  const split = data.splits.train;
  const rng = new Rng(o.seed, 0x7a1, o.epoch);
  const order = Array.from({ length: split.queries.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i + 2 <= order.length; i += batchSize) yield tripleBatch(data, split, order.slice(i, i + batchSize), rng);
}

export function batchesPerEpoch(data: RetrievalData, batchSize: number): number {
  return Math.max(1, Math.ceil((data.splits.train.queries.length - 1) / batchSize));
}

/** Fixed batches over a held-out split, in order (the same every call: negatives drawn from a fixed seed). */
export function heldOutBatches(data: RetrievalData, split: 'val' | 'test', batchSize: number): TripleBatch[] {
  const s = data.splits[split];
  const rng = new Rng(0x5eed, split === 'val' ? 1 : 2);
  const out: TripleBatch[] = [];
  for (let i = 0; i < s.queries.length; i += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, s.queries.length - i) }, (_, j) => i + j);
    if (rows.length >= 2) out.push(tripleBatch(data, s, rows, rng));
  }
  return out;
}
