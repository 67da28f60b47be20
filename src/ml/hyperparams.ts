import { ConfigError } from '../errors.js';
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from './backend-choice.js';

/**
 * The training hyperparameters every subsystem shares (snake_case keys, as in tuning.config.ts and baseline
 * configs). A subsystem reads these with `parseTrainingHyperparams` and its own architecture keys with
 * `paramReader`, so every error names the key, the subsystem and the fix in the same words.
 */
export interface TrainingHyperparams {
  readonly learningRate: number;
  /** Examples (circuits, passages, sequences) per optimizer step. */
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
  readonly backend: BackendChoice;
}

/** Reads typed fields of one subsystem's flat params record; each failure is a ConfigError naming the key. */
export interface ParamReader {
  number(key: string, check: (v: number) => boolean, want: string): number;
  /** null or absent → null; otherwise as `number`. */
  nullable(key: string, check: (v: number) => boolean, want: string): number | null;
  positiveInt(key: string): number;
  backend(key?: string): BackendChoice;
  /** A ConfigError about `key`, worded like the others. */
  fail(key: string, problem: string): ConfigError;
}

export const isPositiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;

/**
 * @example
 * const read = paramReader('optimizer', params);
 * const hiddenDim = read.positiveInt('hidden_dim');
 */
export function paramReader(subsystem: string, params: Readonly<Record<string, unknown>>): ParamReader {
  const where = `fix it in tuning.config.ts (subsystems.${subsystem}) or the baseline config`;
  const fail = (key: string, problem: string): ConfigError => new ConfigError(`${key}: ${problem}; ${where}`);
  const number = (key: string, check: (v: number) => boolean, want: string): number => {
    const v = params[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw fail(key, `expected ${want}, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    number,
    nullable: (key, check, want) => (params[key] === null || params[key] === undefined ? null : number(key, check, want)),
    positiveInt: (key) => number(key, isPositiveInt, 'a positive integer'),
    backend: (key = 'backend') => {
      const b = params[key] ?? 'auto';
      if (!isBackendChoice(b)) throw fail(key, `expected one of ${BACKEND_CHOICES.join(', ')}, got ${JSON.stringify(b)}`);
      return b;
    },
    fail,
  };
}

/**
 * The shared training hyperparameters of `subsystem`'s params.
 * @example parseTrainingHyperparams('optimizer', { ...sub.defaults.full, learning_rate: 1e-3 })
 */
export function parseTrainingHyperparams(subsystem: string, params: Readonly<Record<string, unknown>>): TrainingHyperparams {
  const read = paramReader(subsystem, params);
  return {
    learningRate: read.number('learning_rate', (v) => v > 0, 'a number > 0'),
    batchSize: read.positiveInt('batch_size'),
    weightDecay: read.number('weight_decay', (v) => v >= 0, 'a number ≥ 0'),
    clipNorm: read.nullable('clip_norm', (v) => v > 0, 'a number > 0 or null'),
    warmup: read.number('warmup', (v) => v >= 0 && v < 1, 'a fraction in [0, 1)'),
    minLrRatio: read.number('min_lr_ratio', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    patience: read.nullable('patience', isPositiveInt, 'a positive integer or null'),
    backend: read.backend(),
  };
}

/** Full-training defaults of the shared hyperparameters, for a subsystem's `defaults.full` to spread. */
export const TRAINING_DEFAULTS = {
  weight_decay: 0.01,
  clip_norm: 1,
  warmup: 0.05,
  min_lr_ratio: 0.1,
  patience: 5,
  backend: 'auto',
} as const;
