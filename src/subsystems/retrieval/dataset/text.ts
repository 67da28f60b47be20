/**
 * Text handling shared by the dataset builder, BM25 and the tokenizer: one definition of a word and of a
 * sentence, so that BM25's terms and the encoder's tokens are the same units.
 */

/** Lower-cased runs of letters and digits (Unicode-aware); apostrophes inside a word are kept ("whale's"). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/**
 * Sentences of a paragraph: split after `.`, `!` or `?` (with closing quotes or brackets) followed by white space
 * and an upper-case letter, a digit or an opening quote. Good enough for prose; no abbreviation list.
 */
export function sentences(paragraph: string): string[] {
  const flat = paragraph.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return [];
  return flat
    .split(/(?<=[.!?]["'”’)\]]?)\s+(?=["'“‘(]?[\p{Lu}\p{N}])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Paragraphs: blocks separated by blank lines. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
