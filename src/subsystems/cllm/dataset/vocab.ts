import { DatasetError } from '../../../errors.js';

/** How text becomes token ids: one id per Unicode code point seen in the training corpus. */
export interface CharVocab {
  readonly kind: 'char';
  /** The code points, in id order (sorted, so the same corpus always gives the same ids). */
  readonly chars: readonly string[];
}

/** The vocabulary of `text`: every distinct code point, sorted by code point. */
export function buildCharVocab(text: string): CharVocab {
  const set = new Set<string>();
  for (const ch of text) set.add(ch);
  return { kind: 'char', chars: [...set].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0)) };
}

/** Text ⇄ token ids, whichever the tokenizer. */
export interface TokenCodec {
  readonly size: number;
  /** Token ids of `text`; `where` names the text in the error (a file, the prompt). */
  encode(text: string, where: string): Uint16Array;
  decode(ids: ArrayLike<number>): string;
}

/** Id lookups of a vocabulary; encoding a character it lacks is a DatasetError naming the character. */
export class CharCodec implements TokenCodec {
  readonly #ids: Map<string, number>;
  readonly #chars: readonly string[];

  constructor(vocab: CharVocab) {
    this.#chars = vocab.chars;
    this.#ids = new Map(vocab.chars.map((c, i) => [c, i]));
  }

  get size(): number {
    return this.#chars.length;
  }

  encode(text: string, where: string): Uint16Array {
    const out: number[] = [];
    for (const ch of text) {
      const id = this.#ids.get(ch);
      if (id === undefined) {
        throw new DatasetError(`${where}: character ${JSON.stringify(ch)} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) is not in the vocabulary of ${this.size} characters; use characters of the training corpus`);
      }
      out.push(id);
    }
    return Uint16Array.from(out);
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.#chars[ids[i]] ?? '';
    return s;
  }
}

/** Checks a parsed vocab.json; DatasetError naming the file otherwise. */
export function checkCharVocab(value: unknown, path: string): CharVocab {
  const v = value as Partial<CharVocab> | null;
  const ok = v !== null && typeof v === 'object' && v.kind === 'char' && Array.isArray(v.chars) && v.chars.length > 0 && v.chars.every((c) => typeof c === 'string');
  if (!ok) throw new DatasetError(`${path}: not a character vocabulary ({ kind: 'char', chars: [...] }); delete the folder and run \`tune datasets prepare cllm\``);
  if (v.chars.length > 65535) throw new DatasetError(`${path}: ${v.chars.length} characters is more than the 65535 a uint16 token file holds`);
  return v as CharVocab;
}
