/** BM25 scores checked against the formula by hand, its k1/b options, and reciprocal rank fusion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { Bm25Index } from '../../../src/subsystems/retrieval/search/bm25.js';
import { reciprocalRankFusion } from '../../../src/subsystems/retrieval/search/fusion.js';
import { topK } from '../../../src/subsystems/retrieval/search/top-k.js';

const docs = ['the whale the sea', 'a white whale', 'ships and the sea and the sky', 'nothing here'];

test('a BM25 score equals Σ idf·tf·(k1+1)/(tf + k1·(1 − b + b·|d|/avgdl)) worked by hand', () => {
  const k1 = 1.2;
  const b = 0.75;
  const index = new Bm25Index(docs, { k1, b });
  const avgdl = (4 + 3 + 7 + 2) / 4;
  const idf = (df: number): number => Math.log(1 + (4 - df + 0.5) / (df + 0.5));
  const term = (tf: number, len: number, df: number): number => (idf(df) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / avgdl));
  const s = index.scores('whale sea');
  assert.ok(Math.abs(s[0] - (term(1, 4, 2) + term(1, 4, 2))) < 1e-6);
  assert.ok(Math.abs(s[1] - term(1, 3, 2)) < 1e-6);
  assert.ok(Math.abs(s[2] - term(1, 7, 2)) < 1e-6);
  assert.equal(s[3], 0);
  assert.deepEqual(index.search('whale sea', 10).map((h) => h.doc), [0, 1, 2], 'documents sharing no term are not returned');
});

test('b = 0 ignores document length; k1 = 0 ignores term frequency', () => {
  const noLength = new Bm25Index(['whale', 'whale and a great many other words'], { k1: 1.2, b: 0 }).scores('whale');
  assert.ok(Math.abs(noLength[0] - noLength[1]) < 1e-12);
  const noTf = new Bm25Index(['whale whale whale', 'whale'], { k1: 0, b: 0.75 }).scores('whale');
  assert.ok(Math.abs(noTf[0] - noTf[1]) < 1e-12);
  assert.throws(() => new Bm25Index(docs, { b: 2 }), (e: unknown) => e instanceof ConfigError && e.message.includes('b'));
});

test('reciprocal rank fusion sums 1/(k + rank) over the lists', () => {
  const a = [{ doc: 1, score: 9 }, { doc: 2, score: 8 }];
  const b = [{ doc: 2, score: 0.9 }, { doc: 3, score: 0.8 }];
  const fused = reciprocalRankFusion([a, b], { k: 60, depth: 10 });
  assert.deepEqual(fused.map((h) => h.doc), [2, 1, 3]);
  assert.ok(Math.abs(fused[0].score - (1 / 62 + 1 / 61)) < 1e-12);
  assert.ok(Math.abs(fused[1].score - 1 / 61) < 1e-12);
});

test('topK keeps the k best, ties to the lower index', () => {
  assert.deepEqual(topK([1, 5, 3, 5, 2], 3).map((h) => h.doc), [1, 3, 2]);
  assert.deepEqual(topK([0, -1, 2], 5, { positiveOnly: true }).map((h) => h.doc), [2]);
});
