import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../../src/errors.js';
import { readCorpusDataset } from '../../../src/subsystems/cllm/dataset/files.js';
import { ensureCorpusDataset } from '../../../src/subsystems/cllm/dataset/prepare.js';
import { unigramEntropyNats } from '../../../src/subsystems/cllm/dataset/unigram.js';
import { CharCodec } from '../../../src/subsystems/cllm/dataset/vocab.js';
import { loadCodec } from '../../../src/subsystems/cllm/dataset/codec.js';
import cllm from '../../../src/subsystems/cllm/index.js';
import { corpusFile } from './fixtures.js';

const tmp = (p: string): string => mkdtempSync(join(tmpdir(), p));

test('the default corpus is Moby Dick with its licence in the manifest, split 90/5/5 with the vocabulary stored beside it', async () => {
  const root = tmp('parzen-cllm-default-');
  const r = await cllm.datasets.prepare({ datasetsDir: root, seed: 3, log: () => undefined });
  const ds = readCorpusDataset(r.dir);
  assert.match(ds.manifest.source ?? '', /moby-dick/);
  assert.match(ds.manifest.licence ?? '', /CC0/);
  const total = ds.splits.train.length + ds.splits.val.length + ds.splits.test.length;
  assert.ok(total > 1_000_000, `${total} characters`);
  assert.ok(Math.abs(ds.splits.train.length / total - 0.9) < 1e-3);
  const codec = await loadCodec(ds.vocab);
  assert.match(codec.decode(ds.splits.train.subarray(0, 200)), /Ishmael|CONTENTS|ETYMOLOGY/i);
});

test('--corpus reads a folder of text files, and a different --corpus rebuilds the dataset', async () => {
  const root = tmp('parzen-cllm-user-');
  const folder = tmp('parzen-cllm-folder-');
  mkdirSync(join(folder, 'sub'));
  writeFileSync(join(folder, 'a.txt'), 'abc '.repeat(400));
  writeFileSync(join(folder, 'sub', 'b.md'), 'xyz '.repeat(400));
  writeFileSync(join(folder, 'ignored.bin'), 'QQQQ');
  const dir = join(root, 'cllm');
  const first = await ensureCorpusDataset(dir, { corpus: folder, seed: 1 });
  assert.equal(first.generated, true);
  assert.deepEqual(readCorpusDataset(dir).vocab, { kind: 'char', chars: ['\n', ' ', 'a', 'b', 'c', 'x', 'y', 'z'] });
  assert.equal((await ensureCorpusDataset(dir, { corpus: folder, seed: 1 })).generated, false);
  assert.equal((await ensureCorpusDataset(dir, { seed: 1 })).generated, false, 'no --corpus keeps what is there');
  const other = await ensureCorpusDataset(dir, { corpus: corpusFile(5000), seed: 1 });
  assert.equal(other.generated, true);
  assert.match(other.reason ?? '', /--corpus asks for/);
});

test('bad --corpus paths are DatasetErrors naming the path', async () => {
  const dir = join(tmp('parzen-cllm-bad-'), 'cllm');
  const missing = join(tmpdir(), 'no-such-corpus-file.txt');
  await assert.rejects(ensureCorpusDataset(dir, { corpus: missing, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(missing) && /no such file/.test(e.message));
  const empty = tmp('parzen-cllm-empty-');
  await assert.rejects(ensureCorpusDataset(dir, { corpus: empty, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(empty) && /no .txt/.test(e.message));
  const latin1 = join(empty, 'latin1.txt');
  writeFileSync(latin1, Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' '.repeat(2000))]));
  await assert.rejects(ensureCorpusDataset(dir, { corpus: latin1, seed: 1 }), (e: unknown) => e instanceof DatasetError && e.message.includes(latin1) && /UTF-8/.test(e.message));
});

test('the unigram baseline is the entropy of the character distribution', () => {
  assert.ok(Math.abs(unigramEntropyNats([0, 1, 0, 1], 2) - Math.LN2) < 1e-12);
  assert.equal(unigramEntropyNats([3, 3, 3], 4), 0);
  const codec = new CharCodec({ kind: 'char', chars: ['a', 'b'] });
  assert.throws(() => codec.encode('abc', '--prompt'), (e: unknown) => e instanceof DatasetError && /--prompt: character "c"/.test(e.message));
});

test('--tokenizer bpe tokenises with GPT-2 BPE compacted to the corpus, and switching back re-reads the same user files', async () => {
  const root = tmp('parzen-cllm-bpe-');
  const dir = join(root, 'cllm');
  const file = corpusFile(20_000);
  const built = await ensureCorpusDataset(dir, { corpus: file, tokenizer: 'bpe', seed: 1 });
  assert.equal(built.generated, true);
  const ds = readCorpusDataset(dir);
  assert.equal(ds.vocab.kind, 'bpe');
  assert.ok(ds.manifest.vocabSize > 500 && ds.manifest.vocabSize < 10_000, `${ds.manifest.vocabSize} tokens`);
  assert.ok(ds.manifest.chars.train > 2.5 * ds.manifest.tokens.train, 'a BPE token spans several characters');
  const codec = await loadCodec(ds.vocab);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith(codec.decode(ds.splits.train)), 'the train split decodes to the start of the corpus');
  const prompt = text.slice(100, 160);
  assert.equal(codec.decode(codec.encode(prompt, 'prompt')), prompt);
  assert.equal((await ensureCorpusDataset(dir, { tokenizer: 'bpe', seed: 1 })).generated, false);
  const back = await ensureCorpusDataset(dir, { tokenizer: 'char', seed: 1 });
  assert.match(back.reason ?? '', /--tokenizer asks for char/);
  assert.equal(readCorpusDataset(dir).manifest.source, `file:${file}`);
});
