import { join } from 'node:path';
import { paramReader } from '../../ml/hyperparams.js';
import { categorical, float, int } from '../../space/distributions.js';
import type { PrepareOptions, PrepareResult, Subsystem } from '../subsystem.js';
import { parseFheHyperparams } from './hyperparams.js';

/**
 * Full-training defaults (a trial's sampled params are merged over them). N = 16384 with a 40-bit scale gives 8
 * levels at 128-bit security: one degree-3 iteration (depth 6) between refreshes. 32768 would give 19 (three), but
 * its Galois keys (~4 GiB) do not fit node-seal's WebAssembly heap, so it is refused before key generation.
 */
// Nesterov with a constant step overshoots out of the sigmoid's interval within ~20 iterations on this data
// (docs/BENCHMARKS.md), so the default is Kim et al.'s decaying α_t = lr/(t+1); 'constant' stays available.
const FULL_DEFAULTS = {
  model: 'logistic',
  hidden_width: 2,
  epochs: 4,
  iterations: 5,
  learning_rate: 1.5,
  lr_schedule: 'decay',
  sigmoid_degree: 3,
  sigmoid_bound: 12,
  feature_scale: 0.3,
  poly_modulus_degree: 16384,
  scale_bits: 40,
  // What a trial returns: 'val_auc' goes with `metric: 'val_auc', direction: 'maximize'` in tuning.config.ts.
  tuning_metric: 'val_log_loss',
} as const;

async function prepare(opts: PrepareOptions): Promise<PrepareResult> {
  const { ensureFheDataset } = await import('./dataset/store.js');
  const dir = join(opts.datasetsDir, 'fhe');
  const csv = opts.args?.['csv'];
  const label = opts.args?.['label'];
  const r = await ensureFheDataset({
    dir, seed: opts.seed,
    ...(typeof csv === 'string' ? { csv } : {}),
    ...(typeof label === 'string' ? { label } : {}),
  });
  if (r.generated) opts.log(`fhe dataset written to ${dir} (${r.reason ?? 'missing'})`, { dir });
  return { dir, generated: r.generated, reason: r.reason };
}

const fhe: Subsystem = {
  name: 'fhe',
  description: 'logistic regression or a square-activation network trained on CKKS-encrypted data (node-seal): Nesterov gradient, polynomial sigmoid, owner/server roles',
  metric: 'val_log_loss',
  direction: 'minimize',
  // Keys and encrypted rows depend on (model, hidden_width, poly_modulus_degree, scale_bits, the chain the sigmoid
  // degree needs, feature_scale): few values of each let a worker thread reuse them across trials (setup-cache.ts).
  // scale_bits ≤ 32 keeps every (model, degree) pair feasible at N = 16384: the poly-network of degree 7 needs 11
  // levels, which 438 bits hold only for a scale of at most 32 bits (ckks/params.ts).
  // Sized so `tune --subsystem fhe --trials 12` fits 30 minutes on the shared 2-core VM (docs/BENCHMARKS.md): a
  // 4-unit network trial took 15 min there (6 blocks, 102 s an iteration under load), so hidden_width 4 and more
  // than 4 iterations an epoch are for a config's own space. The network with features ×0.3 can still leave the
  // sigmoid's interval at lr ≳ 1 (float64 runs: 1.2 within 8 iterations, 0.8 within 12); the trial then fails at the
  // iteration where its float64 twin does (engine.ts), naming the fix.
  defaultSpace: {
    model: categorical(['logistic', 'poly-network']),
    hidden_width: categorical([2]),
    learning_rate: float(0.4, 1.2, { log: true }),
    // Kim et al.'s α_t = lr/(t+1), or a constant step: at these budgets (≤ 8 iterations) a constant step often
    // converges faster, and where it overshoots the trial fails at the iteration its float64 twin leaves the interval.
    lr_schedule: categorical(['decay', 'constant']),
    iterations: int(2, 4),
    sigmoid_degree: categorical([3, 5, 7]),
    sigmoid_bound: float(8, 12),
    feature_scale: categorical([0.2, 0.3]),
    poly_modulus_degree: categorical([16384]),
    scale_bits: categorical([30, 32]),
  },
  defaults: { tuning: { epochs: 2, batchCap: null }, full: FULL_DEFAULTS },
  datasets: {
    prepare,
    prepareOptions: {
      csv: { type: 'string', describe: 'your own numeric CSV (header row; features + one binary label column, ≤ 1023 features)' },
      label: { type: 'string', describe: 'the label column of --csv (default: malignant, the shipped dataset\'s)' },
    },
  },
  objective: async (params, ctx) => {
    parseFheHyperparams(params);
    return (await import('./trial.js')).runObjective(params, ctx);
  },
  validateConfig: (config) => {
    const merged = { ...FULL_DEFAULTS, ...config };
    parseFheHyperparams(merged);
    paramReader('fhe', merged).positiveInt('epochs');
  },
  fullTrain: async (config, ctx) => (await import('./trial.js')).runFullTraining(config, ctx, FULL_DEFAULTS),
};

/**
 * The fhe subsystem. node-seal loads inside a trial (engine.ts → ckks/seal.ts), never when this module is imported.
 * @example
 * const sub = (await import('parzen/subsystems/fhe')).default;
 * await sub.datasets.prepare({ datasetsDir: 'datasets', seed: 42, log: console.log });
 */
export default Object.freeze(fhe);
