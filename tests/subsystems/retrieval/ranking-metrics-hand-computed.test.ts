/**
 * The retrieval figures on cases worked by hand, with trec_eval's definitions: recall = relevant retrieved in the
 * top K / relevant; recip_rank cut at 10; ndcg_cut_10 with gain 1 / log2(rank + 1). Recall@K is keyed by the K asked
 * for, also when fewer than K documents came back (the reference project's bug).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreRankings } from '../../../src/subsystems/retrieval/search/scores.js';

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

test('two queries worked by hand: MRR@10, nDCG@10 and Recall@K', () => {
  const s = scoreRankings([
    // relevant {b, d}: hits at ranks 2 and 4
    { ranked: ['a', 'b', 'c', 'd', 'e'], relevant: new Set(['b', 'd']) },
    // relevant {z}: a hit at rank 1
    { ranked: ['z', 'y'], relevant: new Set(['z']) },
  ]);
  close(s['mrr_at_10'], (1 / 2 + 1) / 2, 'MRR@10');
  const dcg1 = 1 / Math.log2(3) + 1 / Math.log2(5);
  const idcg1 = 1 + 1 / Math.log2(3);
  close(s['ndcg_at_10'], (dcg1 / idcg1 + 1) / 2, 'nDCG@10');
  close(s['recall_at_1'], (0 + 1) / 2, 'R@1');
  close(s['recall_at_5'], (1 + 1) / 2, 'R@5');
  close(s['recall_at_10'], 1, 'R@10');
});

test('Recall@10 is reported under recall_at_10 when only 3 documents exist (not under the effective k = 3)', () => {
  const s = scoreRankings([{ ranked: ['x', 'y', 'z'], relevant: new Set(['z', 'w']) }]);
  assert.deepEqual(Object.keys(s).sort(), ['mrr_at_10', 'ndcg_at_10', 'recall_at_1', 'recall_at_10', 'recall_at_100', 'recall_at_5']);
  close(s['recall_at_10'], 1 / 2, 'R@10: one of the two relevant documents was returned');
  close(s['recall_at_100'], 1 / 2, 'R@100');
  close(s['mrr_at_10'], 1 / 3, 'MRR@10');
});

test('a first hit below rank 10 counts 0 for MRR@10 and nDCG@10', () => {
  const ranked = Array.from({ length: 12 }, (_, i) => `d${i}`);
  const s = scoreRankings([{ ranked, relevant: new Set(['d10']) }]);
  close(s['mrr_at_10'], 0, 'MRR@10');
  close(s['ndcg_at_10'], 0, 'nDCG@10');
  close(s['recall_at_100'], 1, 'R@100');
});
