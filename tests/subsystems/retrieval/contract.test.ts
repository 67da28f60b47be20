import retrievalSubsystem from '../../../src/subsystems/retrieval/index.js';
import { subsystemContract } from '../contract.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

subsystemContract({
  subsystem: retrievalSubsystem,
  tinyDatasets: () => tinyDatasets(),
  tinyParams: TINY_PARAMS,
  badParam: { key: 'temperature', value: 0 },
  testResultKeys: ['test_dense_mrr_at_10', 'test_untrained_mrr_at_10', 'test_bm25_mrr_at_10', 'test_hybrid_mrr_at_10', 'test_bm25_recall_at_10', 'test_table', 'vocab_hash', 'best_epoch', 'backend'],
});
