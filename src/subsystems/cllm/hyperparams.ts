import { ConfigError } from '../../errors.js';
import { isPositiveInt, paramReader, parseTrainingHyperparams, type TrainingHyperparams } from '../../ml/hyperparams.js';

/** A training run of the character language model: the shared training keys and the GPT architecture. */
export interface CllmHyperparams extends TrainingHyperparams {
  readonly nLayer: number;
  readonly nHead: number;
  readonly nEmbd: number;
  /** Context length in tokens. */
  readonly blockSize: number;
  readonly dropout: number;
  /** Optimizer steps per epoch (an epoch of a language model is a fixed number of random windows). */
  readonly stepsPerEpoch: number;
  /** Validation windows scored per evaluation (tuning and full training alike; the same windows every time). */
  readonly valWindows: number;
  /** Gradient diagnostics every this many steps (and at the first). */
  readonly diagEvery: number;
}

/**
 * Reads the flat params/config record (snake_case keys); every bad field is a ConfigError naming the key.
 * @example parseHyperparams({ ...cllm.defaults.full, n_layer: 2 })
 */
export function parseHyperparams(params: Readonly<Record<string, unknown>>): CllmHyperparams {
  const read = paramReader('cllm', params);
  const hp: CllmHyperparams = {
    nLayer: read.positiveInt('n_layer'),
    nHead: read.positiveInt('n_head'),
    nEmbd: read.positiveInt('n_embd'),
    blockSize: read.number('block_size', (v) => isPositiveInt(v) && v >= 2, 'an integer ≥ 2'),
    dropout: read.number('dropout', (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    stepsPerEpoch: read.positiveInt('steps_per_epoch'),
    valWindows: read.positiveInt('val_windows'),
    diagEvery: read.positiveInt('diag_every'),
    ...parseTrainingHyperparams('cllm', params),
  };
  if (hp.nEmbd % hp.nHead !== 0) {
    throw new ConfigError(`n_embd: ${hp.nEmbd} is not divisible by n_head ${hp.nHead}; pick an n_embd that is a multiple of n_head (subsystems.cllm in tuning.config.ts)`);
  }
  return hp;
}
