import { DatasetError } from '../../../errors.js';
import type { TokenCodec } from './vocab.js';

/** GPT-2's byte-pair encoding (gpt-tokenizer's r50k_base), compacted to the tokens the corpus uses. */
export interface BpeVocab {
  readonly kind: 'bpe';
  readonly encoding: 'r50k_base';
  /** GPT-2 token ids in local id order (sorted): local id i is GPT-2 token ids[i]. */
  readonly ids: readonly number[];
}

interface Gpt2Bpe {
  encode(text: string): number[];
  decode(ids: Iterable<number>): string;
}

/** gpt-tokenizer's GPT-2 encoding, loaded on first use (its ranks are a few MB). */
async function loadGpt2(): Promise<Gpt2Bpe> {
  const m = (await import('gpt-tokenizer/encoding/r50k_base')) as Gpt2Bpe;
  return { encode: m.encode, decode: m.decode };
}

/**
 * The corpus's BPE vocabulary and its token stream in local ids. Only tokens that occur get an embedding row
 * (Moby Dick uses ~16.5k of GPT-2's 50257), which keeps the model a CPU can train.
 */
export async function buildBpe(text: string): Promise<{ vocab: BpeVocab; ids: Uint16Array }> {
  const bpe = await loadGpt2();
  const gpt2 = bpe.encode(text);
  const used = [...new Set(gpt2)].sort((a, b) => a - b);
  if (used.length > 65535) throw new DatasetError(`the corpus uses ${used.length} distinct BPE tokens, more than the 65535 a uint16 token file holds; use --tokenizer char`);
  const local = new Map(used.map((g, i) => [g, i]));
  return { vocab: { kind: 'bpe', encoding: 'r50k_base', ids: used }, ids: Uint16Array.from(gpt2, (g) => local.get(g) ?? 0) };
}

export class BpeCodec implements TokenCodec {
  readonly #bpe: Gpt2Bpe;
  readonly #ids: readonly number[];
  readonly #local: Map<number, number>;

  constructor(vocab: BpeVocab, bpe: Gpt2Bpe) {
    this.#bpe = bpe;
    this.#ids = vocab.ids;
    this.#local = new Map(vocab.ids.map((g, i) => [g, i]));
  }

  get size(): number {
    return this.#ids.length;
  }

  encode(text: string, where: string): Uint16Array {
    return Uint16Array.from(this.#bpe.encode(text), (g) => {
      const id = this.#local.get(g);
      if (id === undefined) throw new DatasetError(`${where}: the BPE token ${JSON.stringify(this.#bpe.decode([g]))} never occurs in the training corpus; rephrase the text`);
      return id;
    });
  }

  decode(ids: ArrayLike<number>): string {
    return this.#bpe.decode(Array.from(ids, (i) => this.#ids[i] ?? 0));
  }
}

export async function loadBpeCodec(vocab: BpeVocab): Promise<BpeCodec> {
  return new BpeCodec(vocab, await loadGpt2());
}

export function checkBpeVocab(value: Partial<BpeVocab>, path: string): BpeVocab {
  const ok = value.encoding === 'r50k_base' && Array.isArray(value.ids) && value.ids.length > 0 && value.ids.length <= 65535 && value.ids.every((x) => Number.isInteger(x) && x >= 0);
  if (!ok) throw new DatasetError(`${path}: not a BPE vocabulary ({ kind: 'bpe', encoding: 'r50k_base', ids: [...] }); delete the folder and run \`tune datasets prepare cllm --tokenizer bpe\``);
  return value as BpeVocab;
}
