import optimizerSubsystem from '../../../src/subsystems/optimizer/index.js';
import { subsystemContract } from '../contract.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

subsystemContract({
  subsystem: optimizerSubsystem,
  tinyDatasets: () => tinyDatasets(),
  tinyParams: TINY_PARAMS,
  badParam: { key: 'batch_size', value: 0 },
  testResultKeys: ['test_circuits', 'n_r2', 'beats_mean_on_every_target', 'predicted_bits_mean', 'best_epoch', 'backend'],
});
