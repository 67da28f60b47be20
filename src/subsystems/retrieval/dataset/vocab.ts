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
  /** How often each word occurs in the training texts (same order as `words`). */
  readonly counts: readonly number[];
  /** Word occurrences in all (vocabulary and unknown). */
  readonly total: number;
}

/**
 * Words seen at least `minCount` (1) times, most frequent first (ties: alphabetical), at most `maxSize` (32000) of
 * them; the rest share the unknown id. Rare words are kept: a word a query shares with one passage is the strongest
 * evidence there is (BM25's highest idf), and an encoder that maps them all to one id cannot use it.
 */
export function buildVocab(texts: Iterable<string>, o: { maxSize?: number; minCount?: number } = {}): Vocab {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of words(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts.entries()]
    .filter(([, c]) => c >= (o.minCount ?? 1))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, (o.maxSize ?? 32000) - 2);
  return { words: kept.map(([w]) => w), counts: kept.map(([, c]) => c), total: [...counts.values()].reduce((a, c) => a + c, 0) };
}

export function vocabSize(v: Vocab): number {
  return v.words.length + 2;
}

/** A short content hash: a run records it so `tune retrieve` can tell a rebuilt dataset from its own. */
export function vocabHash(v: Vocab): string {
  return createHash('sha256').update(v.words.join('\n')).digest('hex').slice(0, 16);
}

export function checkVocab(raw: unknown, where: string): Vocab {
  const r = raw as { words?: unknown; counts?: unknown; total?: unknown } | null;
  const w = r?.words;
  const c = r?.counts;
  const ok = Array.isArray(w) && w.every((x) => typeof x === 'string') && Array.isArray(c) && c.length === w.length && c.every((x) => Number.isInteger(x) && x > 0) && typeof r?.total === 'number';
  if (!ok) throw new DatasetError(`${where}: expected { "words": [string, …], "counts": [int, …], "total": int }; delete the dataset folder to rebuild it`);
  return { words: w as string[], counts: c as number[], total: r?.total as number };
}

/**
 * The starting log-weight of every id in the encoder's pooling: log of the SIF weight a / (a + p(w)) (Arora, Liang &
 * Ma 2017, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings"), a = 1e-3, p(w) the word's frequency in the
 * training texts. Frequent words start light, rare ones heavy; training moves them. The unknown id gets p = a.
 */
export function sifLogWeights(v: Vocab, a = 1e-3): Float32Array {
  const out = new Float32Array(vocabSize(v));
  out[PAD_ID] = 0;
  out[UNK_ID] = Math.log(0.5);
  v.counts.forEach((c, i) => {
    out[i + 2] = Math.log(a / (a + c / v.total));
  });
  return out;
}

/**
 * Encodes texts to ids with one lookup table. Ids below `size` are vocabulary words (what the word embeddings and
 * pooling weights index); a word outside the vocabulary gets its own id from `size` up, the same one each time it
 * recurs, so its subword features (subwords.ts) can still be computed: the encoder reads any id ≥ `size` as the
 * unknown word for its word embedding and pooling weight (`wordIds`).
 */
export class Tokenizer {
  readonly size: number;
  readonly #ids: Map<string, number>;
  /** Every form by id: '' for padding and unknown, then the vocabulary, then out-of-vocabulary forms as met. */
  readonly #forms: string[];

  constructor(v: Vocab) {
    this.#ids = new Map(v.words.map((w, i) => [w, i + 2]));
    this.#forms = ['', '', ...v.words];
    this.size = vocabSize(v);
  }

  /** Ids of the first `maxLen` words of `text` (at least one id: an empty text is one unknown word). */
  encode(text: string, maxLen: number): Int32Array {
    const ws = words(text).slice(0, maxLen);
    if (ws.length === 0) return Int32Array.of(UNK_ID);
    return Int32Array.from(ws, (w) => this.#idOf(w));
  }

  /** The word an id stands for ('' for padding, the unknown id, and ids this tokenizer never gave out). */
  formOf(id: number): string {
    return this.#forms[id] ?? '';
  }

  #idOf(w: string): number {
    let id = this.#ids.get(w);
    if (id === undefined) {
      id = this.#forms.length;
      this.#forms.push(w);
      this.#ids.set(w, id);
    }
    return id;
  }
}

/** The id the word embeddings and pooling weights read: out-of-vocabulary form ids (≥ vocabSize) are the unknown id. */
export function wordIds(ids: Int32Array, vocabSize: number): Int32Array {
  return ids.map((id) => (id < vocabSize ? id : UNK_ID));
}
