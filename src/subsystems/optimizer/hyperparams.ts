import { ConfigError } from '../../errors.js';
import { paramReader, parseTrainingHyperparams, type TrainingHyperparams } from '../../ml/hyperparams.js';

/**
 * Everything a training run of the optimizer's graph network is configured by: the shared training
 * hyperparameters (ml/hyperparams.ts) and the architecture. Tuning trials get the sampled params merged over
 * the subsystem's `defaults.full`; full training gets the baseline's config.
 */
export interface GatHyperparams extends TrainingHyperparams {
  readonly hiddenDim: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly dropout: number;
  /** Validation circuits a tuning trial scores on (the first n of the split, the same for every trial). */
  readonly tuningValCircuits: number;
}

/**
 * Reads and validates the run's hyperparameters from a flat params/config record (snake_case keys, as in
 * tuning.config.ts). Every missing or bad field is a ConfigError naming the key.
 * @example parseHyperparams({ ...optimizer.defaults.full, hidden_dim: 384, num_layers: 8 })
 */
export function parseHyperparams(params: Readonly<Record<string, unknown>>): GatHyperparams {
  const read = paramReader('optimizer', params);
  const hp: GatHyperparams = {
    hiddenDim: read.positiveInt('hidden_dim'),
    numLayers: read.positiveInt('num_layers'),
    numHeads: read.positiveInt('num_heads'),
    dropout: read.number('dropout', (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    ...parseTrainingHyperparams('optimizer', params),
    tuningValCircuits: read.positiveInt('tuning_val_circuits'),
  };
  if (hp.hiddenDim % hp.numHeads !== 0) {
    throw new ConfigError(`hidden_dim ${hp.hiddenDim} is not divisible by num_heads ${hp.numHeads}; pick a hidden_dim that is a multiple of num_heads`);
  }
  return hp;
}
