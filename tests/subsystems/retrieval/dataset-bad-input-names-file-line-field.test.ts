/** Bad input fails in `prepare`, before any training, naming the file, the line and the field; the old dataset stays. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DatasetError } from '../../../src/errors.js';
import { readRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/files.js';
import { ensureRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/prepare.js';
import { documentsDir } from './fixtures.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'parzen-retrieval-bad-'));
}

function pairsFile(lines: string[]): string {
  const f = join(tmp(), 'pairs.jsonl');
  writeFileSync(f, lines.join('\n'));
  return f;
}

const good = (i: number): string => JSON.stringify({ query: `question number ${i} about whales`, positive: `answer ${i} whales swim`, negative: `unrelated ${i} ships` });

test('--pairs: a line whose positive is not a string names the file, the line and the field', async () => {
  const f = pairsFile([good(1), good(2), JSON.stringify({ query: 'q', positive: 3 }), ...Array.from({ length: 10 }, (_, i) => good(i + 3))]);
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { pairs: f, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${f}:3:`) && e.message.includes('"positive"'));
});

test('--pairs: a line that is not JSON, and a missing query, are named by line', async () => {
  const f = pairsFile([good(1), '{"query": ', good(2)]);
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { pairs: f, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${f}:2:`) && e.message.includes('not valid JSON'));
  const g = pairsFile([good(1), JSON.stringify({ positive: 'p' })]);
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { pairs: g, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${g}:2:`) && e.message.includes('"query" is missing'));
});

test('--beir: a qrels line naming an unknown corpus id names qrels/test.tsv, the line and the column', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(join(dir, 'corpus.jsonl'), [{ _id: 'd1', title: 'Whales', text: 'big sea animals' }, { _id: 'd2', title: '', text: 'ships sail' }].map((x) => JSON.stringify(x)).join('\n'));
  writeFileSync(join(dir, 'queries.jsonl'), JSON.stringify({ _id: 'q1', text: 'what is a whale' }));
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td9\t1\n');
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { beir: dir, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${join(dir, 'qrels', 'test.tsv')}:3:`) && e.message.includes('"corpus-id"'));
  writeFileSync(join(dir, 'corpus.jsonl'), '{"_id": "d1", "text": "x"}\n{"title": "no id", "text": "y"}\n');
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { beir: dir, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${join(dir, 'corpus.jsonl')}:2:`) && e.message.includes('"_id"'));
});

test('--documents: a .jsonl line without text names the line; a missing folder names the flag', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'docs.jsonl'), `${JSON.stringify({ title: 'A', text: 'body' })}\n${JSON.stringify({ title: 'B' })}\n`);
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { documents: dir, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${join(dir, 'docs.jsonl')}:2:`) && e.message.includes('"text"'));
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { documents: join(dir, 'nope'), seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.startsWith('--documents'));
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { documents: dir, pairs: 'x', seed: 1 }), (e: unknown) => e instanceof ConfigError);
});

test('bad input leaves the dataset that was there untouched', async () => {
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { documents: documentsDir(4), seed: 1 });
  const before = readFileSync(join(out, 'corpus.jsonl'), 'utf8');
  const f = pairsFile([good(1), '[1, 2]']);
  await assert.rejects(ensureRetrievalDataset(out, { pairs: f, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(`${f}:2:`));
  assert.equal(readFileSync(join(out, 'corpus.jsonl'), 'utf8'), before);
});

test('--beir: a query relevant in two splits names the later qrels file, its line and the first one; a repeated pair counts once', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'qrels'));
  const n = 12;
  writeFileSync(join(dir, 'corpus.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ _id: `d${i}`, title: '', text: `text about item${i}` })).join('\n'));
  writeFileSync(join(dir, 'queries.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ _id: `q${i}`, text: `where is item${i}` })).join('\n'));
  const rows = (ids: number[]): string => ['query-id\tcorpus-id\tscore', ...ids.map((i) => `q${i}\td${i}\t1`)].join('\n');
  writeFileSync(join(dir, 'qrels', 'train.tsv'), rows([0, 1, 2, 3, 4, 5, 6, 7]));
  writeFileSync(join(dir, 'qrels', 'dev.tsv'), rows([8, 9]));
  writeFileSync(join(dir, 'qrels', 'test.tsv'), rows([10, 3]));
  const test = join(dir, 'qrels', 'test.tsv');
  await assert.rejects(ensureRetrievalDataset(join(tmp(), 'retrieval'), { beir: dir, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.startsWith(`${test}:3:`) && e.message.includes('"query-id" "q3"') && e.message.includes(`${join(dir, 'qrels', 'train.tsv')} (line 5)`));
  writeFileSync(test, `${rows([10, 11])}\nq11\td11\t1\n`);
  const out = join(tmp(), 'retrieval');
  await ensureRetrievalDataset(out, { beir: dir, seed: 1 });
  assert.deepEqual(readRetrievalDataset(out).splits.test.map((q) => q.relevant), [['d10'], ['d11']]);
});
