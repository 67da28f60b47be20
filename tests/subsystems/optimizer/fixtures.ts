import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSplit } from '../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import optimizerSubsystem from '../../../src/subsystems/optimizer/index.js';
import { tinySplit } from './model/fixtures.js';

/** Real HDF5 splits of tiny circuits under `<tmp>/optimizer/`; returns the datasets root. */
export async function tinyDatasets(sizes = { train: 24, val: 8, test: 12 }): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'parzen-gat-'));
  for (const [name, n] of Object.entries(sizes)) {
    await writeSplit(join(root, 'optimizer', `${name}.h5`), tinySplit(n, name, 5), { seed: 5, split: name });
  }
  return root;
}

/** Small-architecture params over the subsystem's full defaults, so a trial takes seconds. */
export const TINY_PARAMS: Readonly<Record<string, unknown>> = {
  ...optimizerSubsystem.defaults.full,
  hidden_dim: 16, num_layers: 2, num_heads: 4, dropout: 0.1, learning_rate: 3e-3, batch_size: 4, tuning_val_circuits: 8, backend: 'wasm',
};

export { recorder, type Recorder } from '../recorder.js';
