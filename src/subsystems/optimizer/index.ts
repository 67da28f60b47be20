import { join } from 'node:path';
import { TRAINING_DEFAULTS } from '../../ml/hyperparams.js';
import { categorical, float, int } from '../../space/distributions.js';
import { defineTrainingSubsystem } from '../harness.js';
import type { PrepareOptions, PrepareResult } from '../subsystem.js';
import { estimateCommand, generateCommand } from './commands.js';
import { parseHyperparams } from './hyperparams.js';

/**
 * Full-training defaults; a tuning trial's sampled params are merged over them. `batch_size` 4 keeps a
 * 2-epoch, 50-batch trial at the largest sampled size (hidden 384, 8 layers) to a few minutes on one wasm
 * thread (docs/benchmarks/gnn.md has the measurement).
 */
const FULL_DEFAULTS = {
  ...TRAINING_DEFAULTS,
  epochs: 20,
  hidden_dim: 256,
  num_layers: 4,
  num_heads: 8,
  dropout: 0.1,
  learning_rate: 3e-4,
  batch_size: 4,
  tuning_val_circuits: 96,
} as const;

async function prepare(opts: PrepareOptions): Promise<PrepareResult> {
  const { ensureDatasets } = await import('./dataset/generate.js');
  const dir = join(opts.datasetsDir, 'optimizer');
  const r = await ensureDatasets(dir, {
    seed: opts.seed,
    onProgress: (p) => opts.log(`optimizer datasets: ${p.split} ${p.done}/${p.total}`),
  });
  if (r.generated) opts.log(`optimizer datasets generated in ${dir} (${r.reason ?? 'missing'})`, { dir });
  return { dir, generated: r.generated, reason: r.reason };
}

/**
 * The optimizer subsystem: a graph attention network that predicts lattice parameters (n, log2 q, σ) and their
 * metrics (bit security, hardness, proof size) from circuit graphs. TensorFlow.js and h5wasm load inside a trial
 * (engine.ts), never when this module is imported.
 * @example
 * const sub = (await import('parzen/subsystems/optimizer')).default;
 * await sub.datasets.prepare({ datasetsDir: 'datasets', seed: 42, log: console.log });
 */
export default defineTrainingSubsystem({
  name: 'optimizer',
  description: 'graph attention network predicting lattice parameters and security metrics from circuit graphs',
  metric: 'val_loss',
  direction: 'minimize',
  defaultSpace: {
    hidden_dim: categorical([128, 256, 384]),
    num_layers: int(3, 8),
    num_heads: categorical([4, 8]),
    dropout: float(0.05, 0.3),
    learning_rate: float(1e-5, 5e-4, { log: true }),
  },
  defaults: { tuning: { epochs: 2, batchCap: 50 }, full: FULL_DEFAULTS },
  datasets: { prepare, generate: generateCommand },
  commands: [estimateCommand],
  parseHyperparams,
  dataParallel: true,
  loadEngine: async () => (await import('./engine.js')).optimizerEngine,
});
