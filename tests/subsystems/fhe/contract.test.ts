import fhe from '../../../src/subsystems/fhe/index.js';
import { subsystemContract } from '../contract.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

subsystemContract({
  subsystem: fhe,
  tinyDatasets,
  tinyParams: TINY_PARAMS,
  badParam: { key: 'sigmoid_degree', value: 4 },
  testResultKeys: ['test_accuracy', 'test_auc', 'test_log_loss', 'plain_test_accuracy', 'converged_test_accuracy', 'max_abs_weight_diff', 'refreshes', 'levels_per_iteration', 'seconds_per_iteration'],
});
