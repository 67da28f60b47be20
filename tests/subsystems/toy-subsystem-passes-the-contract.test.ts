import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subsystemContract } from './contract.js';
import { generateToy } from './fixtures/toy/dataset.js';
import toySubsystem from './fixtures/toy/index.js';

// The test-only subsystem is held to the same contract as the shipped ones: the suite is not optimizer-shaped.
subsystemContract({
  subsystem: toySubsystem,
  tinyDatasets: async () => {
    const root = mkdtempSync(join(tmpdir(), 'parzen-toy-'));
    await generateToy(join(root, 'toy'), { train: 48, val: 16, test: 16 }, 3);
    return root;
  },
  tinyParams: { ...toySubsystem.defaults.full, hidden: 8, batch_size: 8, backend: 'cpu' },
  badParam: { key: 'hidden', value: 2.5 },
  testResultKeys: ['test_rows', 'y_r2', 'y_mean_baseline_r2', 'best_epoch'],
});
