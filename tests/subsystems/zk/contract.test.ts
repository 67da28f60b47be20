import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zk from '../../../src/subsystems/zk/index.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { subsystemContract } from '../contract.js';
import { testCacheDir, testKeys } from './fixtures.js';

testCacheDir();
after(releaseSnarkjs);

let datasets: Promise<string> | undefined;

subsystemContract({
  subsystem: zk,
  tinyDatasets: () => {
    datasets ??= (async () => {
      await testKeys();
      const root = mkdtempSync(join(tmpdir(), 'parzen-zk-contract-'));
      await zk.datasets.prepare({ datasetsDir: root, seed: 3, log: () => undefined });
      return root;
    })();
    return datasets;
  },
  // The test circuit's shape (2 features, batch 2), two proved steps per epoch.
  tinyParams: { n_features: 2, batch_size: 2, frac_bits: 16, steps: 2, learning_rate: 0.3 },
  badParam: { key: 'batch_size', value: 3 },
  testResultKeys: ['test_mse', 'test_mse_mean_baseline', 'test_accuracy', 'proved_steps', 'proof_dir'],
});
