/** What each source builds: titles → bodies, inverse-cloze sentences removed from the corpus and from training, BEIR, pairs; seeded splits; hard negatives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDefaultUnits } from '../../../src/subsystems/retrieval/dataset/documents.js';
import { readRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/files.js';
import { buildPassageDataset } from '../../../src/subsystems/retrieval/dataset/passages.js';
import { ensureRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/prepare.js';
import { documentsDir } from './fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'parzen-retrieval-src-'));

test('inverse cloze: a val/test query sentence is not in the corpus; its passage is relevant; negatives are other passages', async () => {
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { documents: documentsDir(6), seed: 3 });
  const ds = readRetrievalDataset(out);
  const byId = new Map(ds.corpus.map((p) => [p.id, p]));
  for (const q of [...ds.splits.val, ...ds.splits.test]) {
    const p = byId.get(q.relevant[0]);
    assert.ok(p !== undefined);
    assert.ok(!p.text.includes(q.query), `query sentence found in its own corpus passage: ${q.query}`);
    assert.equal(q.positive, p.text);
  }
  for (const q of ds.splits.train) if (q.negative !== null) assert.notEqual(q.negative, q.positive);
  assert.ok(ds.splits.train.filter((q) => q.negative !== null).length > 0.9 * ds.splits.train.length, 'BM25 mined a negative for most queries');
  assert.equal(ds.manifest.source?.startsWith('file:'), true);
  const trainingTexts = ds.splits.train.flatMap((q) => [q.query, q.positive]);
  for (const q of [...ds.splits.val, ...ds.splits.test]) {
    assert.ok(!trainingTexts.some((t) => t.includes(q.query)), `a held-out query sentence is in a training text: ${q.query}`);
  }
  const trainPassages = new Set(ds.splits.train.map((q) => q.relevant[0]));
  assert.ok(ds.splits.test.some((q) => trainPassages.has(q.relevant[0])), 'the other sentences of test passages train the encoder (corpusTraining)');
});

test('without corpus training, no val or test passage is ever a training positive', () => {
  const units = readDefaultUnits().units.slice(3, 9);
  const ds = buildPassageDataset(units, { seed: 3, corpusTraining: false });
  const trainPassages = new Set(ds.splits.train.map((q) => q.relevant[0]));
  for (const q of [...ds.splits.val, ...ds.splits.test]) assert.ok(!trainPassages.has(q.relevant[0]), `held-out passage ${q.relevant[0]} was a training positive`);
  assert.ok(ds.splits.train.length > ds.splits.test.length);
});

test('splits are a function of the seed', async () => {
  const docs = documentsDir(4);
  const a = join(tmp(), 'retrieval');
  const b = join(tmp(), 'retrieval');
  const c = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(a, { documents: docs, seed: 5 });
  await ensureRetrievalDataset(b, { documents: docs, seed: 5 });
  await ensureRetrievalDataset(c, { documents: docs, seed: 6 });
  assert.equal(readFileSync(join(a, 'test.jsonl'), 'utf8'), readFileSync(join(b, 'test.jsonl'), 'utf8'));
  assert.notEqual(readFileSync(join(a, 'test.jsonl'), 'utf8'), readFileSync(join(c, 'test.jsonl'), 'utf8'));
});

test('markdown headings and JSONL titles make title → body queries', async () => {
  const dir = tmp();
  const sections = Array.from({ length: 30 }, (_, i) => `# Topic ${i} harpoon${i}\n\nThe body of section ${i} speaks of harpoon${i} and of the sea. It has a second sentence here.`);
  writeFileSync(join(dir, 'notes.md'), sections.join('\n\n'));
  writeFileSync(join(dir, 'more.jsonl'), Array.from({ length: 10 }, (_, i) => JSON.stringify({ title: `Lance ${i}`, text: `All about lance number ${i}.` })).join('\n'));
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { documents: dir, seed: 1 });
  const ds = readRetrievalDataset(out);
  assert.equal(ds.manifest.queryKinds['title'], 40);
  const q = [...ds.splits.train, ...ds.splits.val, ...ds.splits.test].find((x) => x.query === 'Topic 3 harpoon3');
  assert.ok(q !== undefined);
  assert.match(q.positive, /section 3 speaks/);
});

test('a BEIR folder: dev qrels become val; graded relevance > 0 counts; the title is searched with the text', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'qrels'));
  const n = 30;
  writeFileSync(join(dir, 'corpus.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ _id: `d${i}`, title: `Doc ${i}`, text: `text about item${i} and whales` })).join('\n'));
  writeFileSync(join(dir, 'queries.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ _id: `q${i}`, text: `where is item${i}` })).join('\n'));
  const rows = (from: number, to: number): string => ['query-id\tcorpus-id\tscore', ...Array.from({ length: to - from }, (_, j) => `q${from + j}\td${from + j}\t2`)].join('\n');
  writeFileSync(join(dir, 'qrels', 'train.tsv'), rows(0, 20));
  writeFileSync(join(dir, 'qrels', 'dev.tsv'), rows(20, 25));
  writeFileSync(join(dir, 'qrels', 'test.tsv'), `${rows(25, 30)}\nq0\td1\t0\n`);
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { beir: dir, seed: 1 });
  const ds = readRetrievalDataset(out);
  assert.deepEqual([ds.splits.train.length, ds.splits.val.length, ds.splits.test.length], [20, 5, 5]);
  assert.deepEqual(ds.splits.val.map((q) => q.qid), ['q20', 'q21', 'q22', 'q23', 'q24']);
  assert.equal(ds.splits.train[0].positive, 'Doc 0. text about item0 and whales');
  assert.equal(ds.manifest.kind, 'beir');
});

test('--pairs: triples keep their negatives; the corpus is every distinct text', async () => {
  const dir = tmp();
  const f = join(dir, 'pairs.jsonl');
  writeFileSync(f, Array.from({ length: 20 }, (_, i) => JSON.stringify({ query: `q ${i}`, positive: `pos ${i}`, negative: `neg ${i % 5}` })).join('\n'));
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { pairs: f, seed: 1 });
  const ds = readRetrievalDataset(out);
  assert.equal(ds.corpus.length, 25);
  for (const q of ds.splits.train) assert.match(q.negative ?? '', /^neg /);
});
