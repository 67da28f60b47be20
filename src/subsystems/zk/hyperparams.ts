/**
 * The zk subsystem's hyperparameters (snake_case keys, as in tuning.config.ts and baseline configs); every error is a
 * ConfigError naming the key. Light: no proving code is imported here.
 */
import { paramReader } from '../../ml/hyperparams.js';

export interface ZkHyperparams {
  readonly learningRate: number;
  /** Rows per step: a power of two from 2 to 8 (a circuit is compiled per batch size). */
  readonly batchSize: number;
  /** Fractional bits F of the fixed-point numbers (values must stay within ±256). */
  readonly fracBits: number;
  /** How many of the dataset's features the model uses (from the first). */
  readonly nFeatures: number;
  /** Proved SGD steps per epoch (the tuning budget's batch cap lowers it further). */
  readonly steps: number;
  /** Attempts per proof when the prover fails in a way worth retrying (1: fail fast). */
  readonly maxAttempts: number;
}

export const ZK_DEFAULTS = {
  epochs: 2,
  learning_rate: 0.3,
  batch_size: 4,
  frac_bits: 16,
  n_features: 4,
  steps: 8,
  max_attempts: 3,
} as const;

export function parseZkHyperparams(params: Readonly<Record<string, unknown>>): ZkHyperparams {
  const read = paramReader('zk', params);
  return {
    learningRate: read.number('learning_rate', (v) => v > 0 && v < 16, 'a number in (0, 16)'),
    batchSize: read.number('batch_size', (v) => v === 2 || v === 4 || v === 8, 'one of 2, 4, 8 (the batch sizes the step circuit is compiled for)'),
    fracBits: read.number('frac_bits', (v) => Number.isInteger(v) && v >= 8 && v <= 24, 'an integer from 8 to 24'),
    nFeatures: read.number('n_features', (v) => Number.isInteger(v) && v >= 1 && v <= 8, 'an integer from 1 to 8'),
    steps: read.positiveInt('steps'),
    maxAttempts: read.positiveInt('max_attempts'),
  };
}
