/** Weighted reciprocal rank fusion, score interpolation, and the hybrid's BM25/dense weight chosen on validation rankings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { chooseFusionWeight, interpolateScores, reciprocalRankFusion } from '../../../src/subsystems/retrieval/search/fusion.js';
import type { Hit } from '../../../src/subsystems/retrieval/search/top-k.js';

const list = (...docs: number[]): Hit[] => docs.map((doc, i) => ({ doc, score: 10 - i }));

test('weighted fusion scales each list by its weight: w/(k + rank)', () => {
  const fused = reciprocalRankFusion([list(1, 2), list(2, 3)], { k: 0, depth: 10, weights: [0.25, 0.75] });
  assert.deepEqual(fused.map((h) => h.doc), [2, 3, 1]);
  assert.ok(Math.abs(fused[0].score - (0.25 / 2 + 0.75 / 1)) < 1e-12);
  assert.ok(Math.abs(fused[1].score - 0.75 / 2) < 1e-12);
  assert.ok(Math.abs(fused[2].score - 0.25 / 1) < 1e-12);
});

test('a weight of 1 on one list and 0 on the other reproduces that list', () => {
  assert.deepEqual(reciprocalRankFusion([list(4, 5, 6), list(6, 5, 4)], { k: 60, depth: 3, weights: [1, 0] }).map((h) => h.doc).slice(0, 3), [4, 5, 6]);
});

test('weights must be one finite number ≥ 0 per list', () => {
  assert.throws(() => reciprocalRankFusion([list(1), list(2)], { depth: 5, weights: [1] }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('rrf weights'));
  assert.throws(() => reciprocalRankFusion([list(1), list(2)], { depth: 5, weights: [1, -1] }), (e: unknown) => e instanceof ConfigError);
});

test('the chosen weight is the one whose fused validation rankings score best', () => {
  // With k = 60, query 0's relevant document (7) comes first for BM25 weights w < 0.793, query 1's (8) for w > 0.744:
  // only the grid point 0.75 puts both first.
  const bm25 = [list(1, 7), list(8, 3)];
  const dense = [list(7, 2, 3, 4, 1), list(3, 4, 5, 8)];
  const relevant = [7, 8];
  const mrr = (fused: Hit[][]): number => fused.reduce((a, f, i) => a + 1 / (1 + f.findIndex((h) => h.doc === relevant[i])), 0) / fused.length;
  assert.deepEqual(chooseFusionWeight(bm25, dense, mrr, { method: 'rrf', k: 60, depth: 10 }), { weight: 0.75, value: 1 });
  const bm25Only = chooseFusionWeight(bm25, dense, (fused) => (fused[1][0].doc === 8 ? 1 : 0) - (fused[0][0].doc === 7 ? 1 : 0), { method: 'rrf', k: 60, depth: 10 });
  assert.equal(bm25Only.weight, 1, 'ties go to the larger BM25 weight');
});

test('score interpolation min-max normalises each list, scores a missing document 0 there, and weights the sum', () => {
  const bm25 = [{ doc: 1, score: 12 }, { doc: 2, score: 8 }, { doc: 3, score: 4 }];
  const dense = [{ doc: 3, score: 0.9 }, { doc: 4, score: 0.5 }, { doc: 1, score: 0.1 }];
  const fused = interpolateScores([bm25, dense], { depth: 10, weights: [0.6, 0.4] });
  const by = new Map(fused.map((h) => [h.doc, h.score]));
  assert.ok(Math.abs((by.get(1) ?? -1) - 0.6 * 1) < 1e-12, 'doc 1: BM25 max (1), dense min (0)');
  assert.ok(Math.abs((by.get(2) ?? -1) - 0.6 * 0.5) < 1e-12, 'doc 2: BM25 halfway, absent from dense');
  assert.ok(Math.abs((by.get(3) ?? -1) - 0.4 * 1) < 1e-12, 'doc 3: BM25 min (0), dense max (1)');
  assert.ok(Math.abs((by.get(4) ?? -1) - 0.4 * 0.5) < 1e-12);
  assert.deepEqual(fused.map((h) => h.doc), [1, 3, 2, 4]);
  assert.throws(() => interpolateScores([bm25, dense], { depth: 5, weights: [Number.NaN, 1] }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('fusion weights'));
});
