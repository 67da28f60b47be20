import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { meanReciprocalRank, ndcgAtK, recallAtK, type RankedQuery } from '../../../src/ml/metrics/ranking.js';

const q = (ranked: number[], relevant: number[]): RankedQuery => ({ ranked, relevant: new Set(relevant) });

test('Recall@k counts hits in the top k over each query’s relevant ids, averaged over queries', () => {
  const queries = [q([1, 2, 3, 4], [2, 9]), q([5, 6, 7, 8], [8])];
  assert.equal(recallAtK(queries, 1), 0);
  assert.equal(recallAtK(queries, 2), 0.25); // (1/2 + 0) / 2
  assert.equal(recallAtK(queries, 4), 0.75); // (1/2 + 1) / 2
});

test('a query with fewer than k results is scored at the requested k, not at the effective one', () => {
  // Two results came back for Recall@10: the relevant id is missing, so recall is 0, whatever came back.
  assert.equal(recallAtK([q([3, 4], [7])], 10), 0);
  assert.equal(recallAtK([q([3, 7], [7])], 10), 1);
});

test('MRR takes the first relevant rank; nDCG is 1 for an ideal ranking and less for a worse one', () => {
  assert.equal(meanReciprocalRank([q([1, 2, 3], [3]), q([4, 5], [4])]), (1 / 3 + 1) / 2);
  assert.equal(meanReciprocalRank([q([1, 2, 3], [3])], 2), 0);
  assert.equal(ndcgAtK([q([1, 2, 3], [1, 2])], 3), 1);
  const worse = ndcgAtK([q([3, 1, 2], [1, 2])], 3);
  assert.ok(Math.abs(worse - (1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3))) < 1e-12);
});

test('k must be a positive integer', () => {
  assert.throws(() => recallAtK([], 0), ConfigError);
  assert.throws(() => ndcgAtK([], 1.5), ConfigError);
});
