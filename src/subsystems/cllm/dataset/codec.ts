import { DatasetError } from '../../../errors.js';
import { buildBpe, checkBpeVocab, loadBpeCodec, type BpeVocab } from './bpe.js';
import { buildCharVocab, CharCodec, checkCharVocab, type CharVocab, type TokenCodec } from './vocab.js';

/** The tokenizers `--tokenizer` offers: characters (default) or GPT-2's BPE. */
export const TOKENIZERS = ['char', 'bpe'] as const;
export type Tokenizer = (typeof TOKENIZERS)[number];
export type Vocab = CharVocab | BpeVocab;

/** The vocabulary of `text` under `tokenizer` and the text as local token ids. */
export async function tokenize(text: string, tokenizer: Tokenizer, where: string): Promise<{ vocab: Vocab; ids: Uint16Array }> {
  if (tokenizer === 'bpe') return buildBpe(text);
  const vocab = buildCharVocab(text);
  return { vocab, ids: new CharCodec(vocab).encode(text, where) };
}

export async function loadCodec(vocab: Vocab): Promise<TokenCodec> {
  return vocab.kind === 'bpe' ? loadBpeCodec(vocab) : new CharCodec(vocab);
}

/** Checks a parsed vocabulary (vocab.json or a run's result); DatasetError naming `path` otherwise. */
export function checkVocab(value: unknown, path: string): Vocab {
  const v = value as { kind?: unknown } | null;
  if (v !== null && typeof v === 'object' && v.kind === 'bpe') return checkBpeVocab(v as Partial<BpeVocab>, path);
  if (v !== null && typeof v === 'object' && v.kind === 'char') return checkCharVocab(v, path);
  throw new DatasetError(`${path}: not a vocabulary (kind must be 'char' or 'bpe'); delete the folder and run \`tune datasets prepare cllm\``);
}

export function vocabSize(v: Vocab): number {
  return v.kind === 'bpe' ? v.ids.length : v.chars.length;
}
