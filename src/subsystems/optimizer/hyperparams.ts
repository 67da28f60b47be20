import { ConfigError } from '../../errors.js';
import type { BackendChoice } from '../../ml/backend.js';

/**
 * Everything a training run of the optimizer's graph network is configured by. Tuning trials get the sampled
 * params merged over the subsystem's `defaults.full`; full training gets the baseline's config.
 */
export interface GatHyperparams {
  readonly hiddenDim: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly learningRate: number;
  /** Circuits per step, packed into one disjoint-union graph. */
  readonly batchSize: number;
  /** Decoupled weight decay λ (AdamW); 0 for plain Adam. */
  readonly weightDecay: number;
  /** Global-norm gradient clip; null for none. */
  readonly clipNorm: number | null;
  /** Fraction of the run's steps spent warming the learning rate up linearly. */
  readonly warmup: number;
  /** Cosine decay floor as a fraction of the base learning rate. */
  readonly minLrRatio: number;
  /** Early-stopping patience in epochs (full training); null to train every epoch. */
  readonly patience: number | null;
  /** Validation circuits a tuning trial scores on (the first n of the split, the same for every trial). */
  readonly tuningValCircuits: number;
  readonly backend: BackendChoice;
}

function num(params: Readonly<Record<string, unknown>>, key: string, check: (v: number) => boolean, want: string): number {
  const v = params[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new ConfigError(`${key}: expected ${want}, got ${JSON.stringify(v)}; fix it in tuning.config.ts (subsystems.optimizer) or the baseline config`);
  }
  return v;
}

const isPositiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;

function nullable(params: Readonly<Record<string, unknown>>, key: string, check: (v: number) => boolean, want: string): number | null {
  return params[key] === null || params[key] === undefined ? null : num(params, key, check, want);
}

function backendOf(params: Readonly<Record<string, unknown>>): BackendChoice {
  const b = params['backend'] ?? 'auto';
  if (b !== 'auto' && b !== 'tensorflow' && b !== 'wasm' && b !== 'cpu') {
    throw new ConfigError(`backend: expected auto, tensorflow, wasm or cpu, got ${JSON.stringify(b)}`);
  }
  return b;
}

/**
 * Reads and validates the run's hyperparameters from a flat params/config record (snake_case keys, as in
 * tuning.config.ts). Every missing or bad field is a ConfigError naming the key.
 * @example parseHyperparams({ ...optimizerSubsystem.defaults.full, hidden_dim: 384, num_layers: 8 })
 */
export function parseHyperparams(params: Readonly<Record<string, unknown>>): GatHyperparams {
  const hp: GatHyperparams = {
    hiddenDim: num(params, 'hidden_dim', isPositiveInt, 'a positive integer'),
    numLayers: num(params, 'num_layers', isPositiveInt, 'a positive integer'),
    numHeads: num(params, 'num_heads', isPositiveInt, 'a positive integer'),
    dropout: num(params, 'dropout', (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    learningRate: num(params, 'learning_rate', (v) => v > 0, 'a number > 0'),
    batchSize: num(params, 'batch_size', isPositiveInt, 'a positive integer'),
    weightDecay: num(params, 'weight_decay', (v) => v >= 0, 'a number ≥ 0'),
    clipNorm: nullable(params, 'clip_norm', (v) => v > 0, 'a number > 0 or null'),
    warmup: num(params, 'warmup', (v) => v >= 0 && v < 1, 'a fraction in [0, 1)'),
    minLrRatio: num(params, 'min_lr_ratio', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    patience: nullable(params, 'patience', isPositiveInt, 'a positive integer or null'),
    tuningValCircuits: num(params, 'tuning_val_circuits', isPositiveInt, 'a positive integer'),
    backend: backendOf(params),
  };
  if (hp.hiddenDim % hp.numHeads !== 0) {
    throw new ConfigError(`hidden_dim ${hp.hiddenDim} is not divisible by num_heads ${hp.numHeads}; pick a hidden_dim that is a multiple of num_heads`);
  }
  return hp;
}
