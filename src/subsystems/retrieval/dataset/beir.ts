/**
 * `--beir DIR`: a dataset in the BEIR layout (Thakur et al. 2021): `corpus.jsonl` lines `{ _id, title, text }`,
 * `queries.jsonl` lines `{ _id, text }`, and `qrels/{train,dev,test}.tsv` with a `query-id corpus-id score`
 * header. dev is the validation split. Without train (or dev) qrels, the test queries are split by seed. A query
 * with relevant documents (score > 0) in two qrels files is refused (it would be trained on and evaluated); a
 * repeated pair counts once.
 * Training reads each train query with its first relevant document as the positive (and a BM25-mined negative);
 * evaluation counts every relevant document. scripts/make-beir-corpus.mjs builds such a folder from man pages.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { Rng } from '../../../util/rng.js';
import { lineError, readJsonl, readTextFile, stringField } from './jsonl.js';
import type { Passage, RawDataset } from './types.js';

const QREL_FILES: Readonly<Record<SplitName, string>> = { train: 'train.tsv', val: 'dev.tsv', test: 'test.tsv' };

/** Passage text as the encoder and BM25 see it: the title (when there is one) then the body. */
export function passageText(p: Passage): string {
  return p.title === null || p.title.length === 0 ? p.text : `${p.title}. ${p.text}`;
}

function readCorpus(file: string): Passage[] {
  const seen = new Set<string>();
  return readJsonl(file, '--beir').map(({ line, value }) => {
    const at = { file, line };
    const id = stringField(value, '_id', at, { allowNumber: true }) ?? '';
    if (seen.has(id)) throw lineError(file, line, `field "_id" ${JSON.stringify(id)} repeats an earlier line; corpus ids must be unique`);
    seen.add(id);
    const title = stringField(value, 'title', at, { optional: true, allowEmpty: true });
    const text = stringField(value, 'text', at, { allowEmpty: true }) ?? '';
    if (text.trim().length === 0 && (title ?? '').trim().length === 0) throw lineError(file, line, 'fields "title" and "text" are both empty; the document has nothing to search');
    return { id, title: title !== null && title.trim().length > 0 ? title : null, text };
  });
}

function readQueries(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { line, value } of readJsonl(file, '--beir')) {
    const at = { file, line };
    const id = stringField(value, '_id', at, { allowNumber: true }) ?? '';
    if (out.has(id)) throw lineError(file, line, `field "_id" ${JSON.stringify(id)} repeats an earlier line; query ids must be unique`);
    out.set(id, stringField(value, 'text', at) ?? '');
  }
  return out;
}

/** One qrels file: query id → relevant corpus ids (score > 0, a repeated pair once), and the line of each query's first one. */
interface Qrels {
  readonly file: string;
  readonly relevant: Map<string, string[]>;
  readonly lineOf: Map<string, number>;
}

function readQrels(file: string, queries: ReadonlyMap<string, string>, corpusIds: ReadonlySet<string>): Qrels {
  const relevant = new Map<string, string[]>();
  const lineOf = new Map<string, number>();
  readTextFile(file, '--beir')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line.length === 0 || (i === 0 && /^query-id\b/i.test(line))) return;
      const cols = line.split('\t');
      if (cols.length < 3) throw lineError(file, i + 1, `expected 3 tab-separated columns query-id, corpus-id, score; got ${cols.length}`);
      const [qid, did, scoreText] = cols;
      const score = Number(scoreText);
      if (!Number.isFinite(score)) throw lineError(file, i + 1, `column "score" must be a number, got ${JSON.stringify(scoreText)}`);
      if (!queries.has(qid)) throw lineError(file, i + 1, `column "query-id" ${JSON.stringify(qid)} is not in queries.jsonl`);
      if (!corpusIds.has(did)) throw lineError(file, i + 1, `column "corpus-id" ${JSON.stringify(did)} is not in corpus.jsonl`);
      if (score <= 0) return;
      if (!lineOf.has(qid)) lineOf.set(qid, i + 1);
      const l = relevant.get(qid) ?? [];
      if (!l.includes(did)) l.push(did);
      relevant.set(qid, l);
    });
  return { file, relevant, lineOf };
}

/** A query with relevant documents in two splits would be trained on and evaluated: refused, naming the later file's line. */
function checkDisjoint(files: readonly Qrels[]): void {
  for (let a = 0; a < files.length; a++) {
    for (let b = a + 1; b < files.length; b++) {
      for (const [qid, line] of files[b].lineOf) {
        if (files[a].lineOf.has(qid)) throw lineError(files[b].file, line, `column "query-id" ${JSON.stringify(qid)} is also in ${files[a].file} (line ${files[a].lineOf.get(qid)}); a query has relevant documents in one split only`);
      }
    }
  }
}

/** Test queries split into train/val/test by seed (60/20/20) when the folder has no train or dev qrels. */
function splitTest(test: Map<string, string[]>, seed: number): Record<SplitName, Map<string, string[]>> {
  const ids = [...test.keys()];
  const rng = new Rng(seed, 0xbe1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const nVal = Math.round(ids.length * 0.2);
  const nTest = Math.round(ids.length * 0.2);
  const pick = (xs: string[]): Map<string, string[]> => new Map(xs.map((q) => [q, test.get(q) ?? []]));
  return { val: pick(ids.slice(0, nVal)), test: pick(ids.slice(nVal, nVal + nTest)), train: pick(ids.slice(nVal + nTest)) };
}

/** @example readBeir('beir/scifact', 42) */
export function readBeir(dir: string, seed: number): Omit<RawDataset, 'queryKinds'> & { queryKinds: Record<string, number>; splitFromTest: boolean } {
  const abs = resolve(dir);
  for (const f of ['corpus.jsonl', 'queries.jsonl', 'qrels/test.tsv']) {
    if (!existsSync(join(abs, f))) throw new DatasetError(`--beir ${dir}: ${f} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/{train,dev,test}.tsv`);
  }
  const corpus = readCorpus(join(abs, 'corpus.jsonl'));
  const byId = new Map(corpus.map((p) => [p.id, p]));
  const queries = readQueries(join(abs, 'queries.jsonl'));
  const ids = new Set(byId.keys());
  const qrels = (split: SplitName): Qrels | null => {
    const f = join(abs, 'qrels', QREL_FILES[split]);
    return existsSync(f) ? readQrels(f, queries, ids) : null;
  };
  const [train, val, test] = [qrels('train'), qrels('val'), qrels('test')];
  checkDisjoint([train, val, test].filter((q): q is Qrels => q !== null));
  const splitFromTest = train === null || val === null;
  const judged = test?.relevant ?? new Map<string, string[]>();
  const maps = train === null || val === null ? splitTest(judged, seed) : { train: train.relevant, val: val.relevant, test: judged };
  const records = (m: Map<string, string[]>): RawDataset['splits']['train'] =>
    [...m.entries()]
      .filter(([, rel]) => rel.length > 0)
      .map(([qid, relevant]) => ({ qid, query: queries.get(qid) ?? '', relevant, positive: passageText(byId.get(relevant[0]) as Passage) }));
  const splits = { train: records(maps.train), val: records(maps.val), test: records(maps.test) };
  for (const s of ['train', 'val', 'test'] as const) {
    if (splits[s].length === 0) throw new DatasetError(`--beir ${dir}: the ${s} split has no query with a relevant document (score > 0); check qrels/`);
  }
  const licence = existsSync(join(abs, 'README.md')) ? `user-supplied; see ${join(abs, 'README.md')} and the dataset's own licence` : 'user-supplied (see the BEIR dataset\'s own licence)';
  return { corpus, splits, source: `beir:${abs}`, licence, queryKinds: { beir: splits.train.length + splits.val.length + splits.test.length }, splitFromTest };
}
