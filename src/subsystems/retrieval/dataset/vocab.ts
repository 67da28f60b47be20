/**
 * The tokenizer: a word vocabulary built from the training side of the dataset (the corpus and the training
 * queries), the same `words()` BM25 indexes. Id 0 pads, id 1 is every word outside the vocabulary.
 */
import { createHash } from 'node:crypto';
import { DatasetError } from '../../../errors.js';
import { words } from './text.js';

export const PAD_ID = 0;
export const UNK_ID = 1;

export interface Vocab {
  /** Words by id, from id 2 (0 and 1 are the padding and unknown ids). */
  readonly words: readonly string[];
}

/** Words seen at least `minCount` times, most frequent first (ties: alphabetical), at most `maxSize` of them. */
export function buildVocab(texts: Iterable<string>, o: { maxSize?: number; minCount?: number } = {}): Vocab {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of words(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts.entries()]
    .filter(([, c]) => c >= (o.minCount ?? 2))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, (o.maxSize ?? 20_000) - 2)
    .map(([w]) => w);
  return { words: kept };
}

export function vocabSize(v: Vocab): number {
  return v.words.length + 2;
}

/** A short content hash: a run records it so `tune retrieve` can tell a rebuilt dataset from its own. */
export function vocabHash(v: Vocab): string {
  return createHash('sha256').update(v.words.join('\n')).digest('hex').slice(0, 16);
}

export function checkVocab(raw: unknown, where: string): Vocab {
  const w = (raw as { words?: unknown } | null)?.words;
  if (!Array.isArray(w) || w.some((x) => typeof x !== 'string')) throw new DatasetError(`${where}: expected { "words": [string, …] }; delete the dataset folder to rebuild it`);
  return { words: w as string[] };
}

/** Encodes texts to ids with one lookup table. */
export class Tokenizer {
  readonly size: number;
  readonly #ids: Map<string, number>;

  constructor(v: Vocab) {
    this.#ids = new Map(v.words.map((w, i) => [w, i + 2]));
    this.size = vocabSize(v);
  }

  /** Ids of the first `maxLen` words of `text` (at least one id: an empty text is one unknown word). */
  encode(text: string, maxLen: number): Int32Array {
    const ws = words(text).slice(0, maxLen);
    if (ws.length === 0) return Int32Array.of(UNK_ID);
    return Int32Array.from(ws, (w) => this.#ids.get(w) ?? UNK_ID);
  }
}
