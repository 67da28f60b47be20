/**
 * `--pairs FILE.jsonl`: the reference project's training triples, one `{ "query", "positive", "negative"? }` object a
 * line. Lines are split train/val/test by seed (80/10/10); the corpus is every distinct positive and negative text,
 * so evaluation searches all of them. A line without a negative gets a BM25-mined one.
 */
import { resolve } from 'node:path';
import { DatasetError } from '../../../errors.js';
import { Rng } from '../../../util/rng.js';
import { readJsonl, stringField } from './jsonl.js';
import type { Passage, RawDataset } from './types.js';

export function readPairs(file: string, seed: number): RawDataset {
  const abs = resolve(file);
  const lines = readJsonl(abs, '--pairs').map(({ line, value }) => {
    const at = { file: abs, line };
    return { line, query: stringField(value, 'query', at) ?? '', positive: stringField(value, 'positive', at) ?? '', negative: stringField(value, 'negative', at, { optional: true }) };
  });
  if (lines.length < 10) throw new DatasetError(`--pairs ${file}: ${lines.length} triples is too few to split into train/val/test; give at least 10 lines`);
  const ids = new Map<string, string>();
  const corpus: Passage[] = [];
  const idOf = (text: string): string => {
    let id = ids.get(text);
    if (id === undefined) {
      id = `p${ids.size}`;
      ids.set(text, id);
      corpus.push({ id, title: null, text });
    }
    return id;
  };
  const records = lines.map((l) => {
    const relevant = [idOf(l.positive)];
    if (l.negative !== null) idOf(l.negative);
    return { qid: `line${l.line}`, query: l.query, positive: l.positive, negative: l.negative, relevant };
  });
  const rng = new Rng(seed, 0xa125);
  for (let i = records.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [records[i], records[j]] = [records[j], records[i]];
  }
  const nVal = Math.max(1, Math.round(records.length * 0.1));
  const nTest = Math.max(1, Math.round(records.length * 0.1));
  return {
    corpus,
    splits: { val: records.slice(0, nVal), test: records.slice(nVal, nVal + nTest), train: records.slice(nVal + nTest) },
    source: `file:${abs}`,
    licence: 'user-supplied (see the source file)',
    queryKinds: { pairs: records.length },
  };
}
