import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zk from '../../../src/subsystems/zk/index.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { subsystemContract } from '../contract.js';
import { TEST_PLONK_SHAPE, testCacheDir, testKeys } from './fixtures.js';

testCacheDir();
after(releaseSnarkjs);

let datasets: Promise<string> | undefined;

subsystemContract({
  subsystem: zk,
  tinyDatasets: () => {
    datasets ??= (async () => {
      await testKeys(TEST_PLONK_SHAPE);
      const root = mkdtempSync(join(tmpdir(), 'parzen-zk-contract-'));
      await zk.datasets.prepare({ datasetsDir: root, seed: 3, log: () => undefined });
      return root;
    })();
    return datasets;
  },
  // The smallest committed circuit (1 feature, batch 2, F = 8: 1,458 constraints against 2,010 for 2 features at
  // F = 16), two proved steps per epoch, so the caps still bind.
  tinyParams: { n_features: 1, batch_size: 2, frac_bits: 8, steps: 2, learning_rate: 0.3 },
  badParam: { key: 'batch_size', value: 3 },
  testResultKeys: ['test_mse', 'test_mse_mean_baseline', 'test_accuracy', 'proved_steps', 'proof_dir'],
});
