import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically, writeTextAtomically } from '../../../data/atomic-write.js';
import { readManifest, writeManifest, type ManifestBase } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { codeVersion } from '../../../util/code-version.js';
import type { Corpus } from './corpus.js';
import { checkVocab, loadCodec, tokenize, vocabSize, type Tokenizer, type Vocab } from './codec.js';

export const FORMAT_VERSION = 1;
export const VOCAB_FILE = 'vocab.json';
/** Fractions of the token stream: train first, then val, then test (contiguous, so no window straddles two). */
export const SPLIT_FRACTIONS: Readonly<Record<SplitName, number>> = { train: 0.9, val: 0.05, test: 0.05 };

export interface CllmManifest extends ManifestBase {
  readonly tokenizer: Tokenizer;
  readonly vocabSize: number;
  readonly files: number;
  readonly tokens: Readonly<Record<SplitName, number>>;
  /** Characters (code points) per split: bits per character = nats per token · tokens / chars / ln 2. */
  readonly chars: Readonly<Record<SplitName, number>>;
}

/** A prepared dataset, read back: the vocabulary and each split's token ids. */
export interface CorpusDataset {
  readonly manifest: CllmManifest;
  readonly vocab: Vocab;
  readonly splits: Readonly<Record<SplitName, Uint16Array>>;
}

const splitFile = (dir: string, s: SplitName): string => join(dir, `${s}.u16`);

/**
 * Tokenises the corpus (the vocabulary covers the whole text, so val and test hold no unknown token) and writes
 * the three contiguous splits, vocab.json and the manifest.
 */
export async function writeCorpusDataset(dir: string, corpus: Corpus, o: { seed: number; tokenizer: Tokenizer }): Promise<CllmManifest> {
  const { vocab, ids } = await tokenize(corpus.text, o.tokenizer, corpus.source);
  const nTrain = Math.floor(ids.length * SPLIT_FRACTIONS.train);
  const nVal = Math.floor(ids.length * SPLIT_FRACTIONS.val);
  const parts: Record<SplitName, Uint16Array> = { train: ids.subarray(0, nTrain), val: ids.subarray(nTrain, nTrain + nVal), test: ids.subarray(nTrain + nVal) };
  const codec = await loadCodec(vocab);
  const chars = Object.fromEntries(SPLIT_NAMES.map((s) => [s, o.tokenizer === 'char' ? parts[s].length : [...codec.decode(parts[s])].length])) as Record<SplitName, number>;
  for (const s of SPLIT_NAMES) {
    const bytes = new Uint8Array(parts[s].buffer, parts[s].byteOffset, parts[s].byteLength);
    await writeAtomically(splitFile(dir, s), (tmp) => writeFileSync(tmp, bytes));
  }
  await writeTextAtomically(join(dir, VOCAB_FILE), `${JSON.stringify(vocab)}\n`);
  const manifest: CllmManifest = {
    formatVersion: FORMAT_VERSION, seed: o.seed, parzenVersion: codeVersion(), createdAt: new Date().toISOString(),
    source: corpus.source, licence: corpus.licence, tokenizer: o.tokenizer, vocabSize: vocabSize(vocab), files: corpus.files,
    tokens: { train: parts.train.length, val: parts.val.length, test: parts.test.length }, chars,
  };
  await writeManifest(dir, manifest);
  return manifest;
}

function readSplit(dir: string, s: SplitName, expected: number, vocabSize: number): Uint16Array {
  const path = splitFile(dir, s);
  if (!existsSync(path)) throw new DatasetError(`${path} is missing; run \`tune datasets prepare cllm\``);
  const buf = readFileSync(path);
  if (buf.byteLength !== expected * 2) throw new DatasetError(`${path}: ${buf.byteLength} bytes, the manifest says ${expected} tokens (${expected * 2} bytes); delete the folder to rebuild it`);
  const ids = new Uint16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] >= vocabSize) throw new DatasetError(`${path}: token ${ids[i]} at position ${i} is outside the vocabulary of ${vocabSize}; delete the folder to rebuild it`);
  }
  return ids;
}

/** Reads and checks `<dir>`'s manifest, vocabulary and three token files; DatasetError naming the file otherwise. */
export function readCorpusDataset(dir: string): CorpusDataset {
  const manifest = readManifest<CllmManifest>(dir);
  if (manifest === undefined) throw new DatasetError(`${join(dir, 'manifest.json')} is missing; run \`tune datasets prepare cllm\``);
  if (manifest.formatVersion !== FORMAT_VERSION || manifest.chars === undefined) {
    throw new DatasetError(`${join(dir, 'manifest.json')}: format ${manifest.formatVersion}, this parzen reads ${FORMAT_VERSION}; delete the folder to rebuild it`);
  }
  const vocabPath = join(dir, VOCAB_FILE);
  if (!existsSync(vocabPath)) throw new DatasetError(`${vocabPath} is missing; delete the folder to rebuild it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(vocabPath, 'utf8'));
  } catch (cause) {
    throw new DatasetError(`${vocabPath}: not valid JSON; delete the folder to rebuild it`, { cause });
  }
  const vocab = checkVocab(parsed, vocabPath);
  const splits = Object.fromEntries(SPLIT_NAMES.map((s) => [s, readSplit(dir, s, manifest.tokens?.[s] ?? -1, vocabSize(vocab))])) as Record<SplitName, Uint16Array>;
  return { manifest, vocab, splits };
}
