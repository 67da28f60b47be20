import cllmSubsystem from '../../../src/subsystems/cllm/index.js';
import { subsystemContract } from '../contract.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

subsystemContract({
  subsystem: cllmSubsystem,
  tinyDatasets: () => tinyDatasets(),
  tinyParams: TINY_PARAMS,
  badParam: { key: 'n_head', value: 0 },
  testResultKeys: ['test_loss', 'test_bits_per_char', 'unigram_nats', 'beats_unigram', 'vocab', 'best_epoch', 'backend'],
});
