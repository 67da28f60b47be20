import type { EmbeddingBags } from '../../../ml/kernels/embedding-bag.js';
import { PAD_ID, UNK_ID } from './vocab.js';

/**
 * fastText's subword features (Bojanowski et al. 2017, "Enriching Word Vectors with Subword Information", §3.2):
 * a word is wrapped in boundary markers, `<whale>`, and every character n-gram of it with minN ≤ n ≤ maxN is hashed
 * into one of `buckets` rows of an n-gram embedding table. Words that share a stem ("whale", "whales", "whaling")
 * share rows, and a word outside the vocabulary still has features. No TensorFlow.js here.
 */

export interface SubwordConfig {
  readonly minN: number;
  readonly maxN: number;
  readonly buckets: number;
}

/**
 * Every character n-gram of `<word>` with minN ≤ n ≤ maxN, by start position then length (the whole `<word>`
 * included when it is short enough, as fastText does). Characters are code points, so "é" is one.
 * @example charNgrams('cat', 3, 4) // ['<ca', '<cat', 'cat', 'cat>', 'at>']
 */
export function charNgrams(word: string, minN: number, maxN: number): string[] {
  const chars = Array.from(`<${word}>`);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    for (let n = minN; n <= maxN && i + n <= chars.length; n++) out.push(chars.slice(i, i + n).join(''));
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `s` (offset basis 2166136261, prime 16777619), fastText's n-gram hash
 * (fastText sign-extends bytes ≥ 0x80 first; here bytes are unsigned, so non-ASCII n-grams hash differently).
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(s)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** The bucket of each n-gram of `word` (hash mod buckets), in `charNgrams` order; repeats are kept (they count twice). */
export function ngramBuckets(word: string, c: SubwordConfig): Int32Array {
  return Int32Array.from(charNgrams(word, c.minN, c.maxN), (g) => fnv1a32(g) % c.buckets);
}

/** Word forms by id (the tokenizer's), each form's n-gram buckets computed once, on first use. */
export class SubwordTable {
  readonly config: SubwordConfig;
  readonly #formOf: (id: number) => string;
  readonly #cache = new Map<number, Int32Array>();

  /** `formOf(id)` is the word an id stands for ('' for padding and the unknown id: no n-grams). */
  constructor(config: SubwordConfig, formOf: (id: number) => string) {
    this.config = config;
    this.#formOf = formOf;
  }

  bucketsOf(id: number): Int32Array {
    let b = this.#cache.get(id);
    if (b === undefined) {
      const form = this.#formOf(id);
      b = form === '' ? new Int32Array(0) : ngramBuckets(form, this.config);
      this.#cache.set(id, b);
    }
    return b;
  }
}

/**
 * The bags the encoder's token vectors are read from (ml/kernels/embedding-bag.ts), one per distinct form of `ids`:
 * the form's word row (ids ≥ vocabSize are out-of-vocabulary forms: the unknown word's row) with weight 1, and with
 * subwords on, its n-gram rows — row vocabSize + bucket of a table that holds the words first — each with weight
 * 1 / the form's n-gram count, so a token is its word vector plus the mean of its n-gram vectors. Padding (id 0)
 * is an empty bag (a zero vector; the encoder masks it anyway).
 */
export function formBags(ids: Int32Array, o: { vocabSize: number; subwords: SubwordTable | null }): EmbeddingBags {
  const local = new Map<number, number>();
  const bagOf = new Int32Array(ids.length);
  const forms: number[] = [];
  ids.forEach((id, t) => {
    let f = local.get(id);
    if (f === undefined) {
      f = forms.length;
      local.set(id, f);
      forms.push(id);
    }
    bagOf[t] = f;
  });
  const grams = forms.map((id) => (id === PAD_ID || o.subwords === null ? EMPTY : o.subwords.bucketsOf(id)));
  const total = forms.reduce((a, id, f) => a + (id === PAD_ID ? 0 : 1 + grams[f].length), 0);
  const rows = new Int32Array(total);
  const scale = new Float32Array(total);
  const start = new Int32Array(forms.length + 1);
  let r = 0;
  forms.forEach((id, f) => {
    start[f] = r;
    if (id !== PAD_ID) {
      rows[r] = id < o.vocabSize ? id : UNK_ID;
      scale[r++] = 1;
      const g = grams[f];
      for (let k = 0; k < g.length; k++) {
        rows[r] = o.vocabSize + g[k];
        scale[r++] = 1 / g.length;
      }
    }
  });
  start[forms.length] = r;
  return { rows, scale, start, bagOf };
}

const EMPTY = new Int32Array(0);
