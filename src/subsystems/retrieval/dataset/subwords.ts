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
 * The n-gram rows of a padded batch of ids, grouped by distinct form so each form's vector is pooled once:
 * `buckets[r]` belongs to form `segment[r]` with weight `scale[r]` (1 / the form's n-gram count: a form's subword
 * vector is the mean of its n-gram rows), and token position t reads form `formIndex[t]` of `nForms`.
 */
export interface SubwordRows {
  readonly buckets: Int32Array;
  readonly segment: Int32Array;
  readonly scale: Float32Array;
  readonly formIndex: Int32Array;
  readonly nForms: number;
}

export function subwordRows(ids: Int32Array, table: SubwordTable): SubwordRows {
  const local = new Map<number, number>();
  const formIndex = new Int32Array(ids.length);
  const forms: Int32Array[] = [];
  ids.forEach((id, t) => {
    let f = local.get(id);
    if (f === undefined) {
      f = forms.length;
      local.set(id, f);
      forms.push(table.bucketsOf(id));
    }
    formIndex[t] = f;
  });
  const total = forms.reduce((a, b) => a + b.length, 0);
  const buckets = new Int32Array(total);
  const segment = new Int32Array(total);
  const scale = new Float32Array(total);
  let r = 0;
  forms.forEach((b, f) => {
    buckets.set(b, r);
    segment.fill(f, r, r + b.length);
    scale.fill(1 / b.length, r, r + b.length);
    r += b.length;
  });
  return { buckets, segment, scale, formIndex, nForms: forms.length };
}
