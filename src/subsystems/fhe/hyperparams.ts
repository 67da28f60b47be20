/**
 * The fhe subsystem's hyperparameters, parsed from a flat params record (snake_case, as in tuning.config.ts and
 * baseline configs). Every error is a ConfigError naming the key; the CKKS chain is derived and checked against
 * SEAL's 128-bit limit here too, so a config that cannot run one iteration fails before node-seal loads.
 */
import { paramReader } from '../../ml/hyperparams.js';
import { deriveCkksParams, iterationDepth, networkIterationDepth, POLY_MODULUS_DEGREES, type CkksParams } from './ckks/params.js';
import { HIDDEN_WIDTHS, type HiddenWidth } from './network.js';
import type { LrSchedule } from './nesterov.js';
import { SIGMOID_DEGREES, type SigmoidDegree } from './sigmoid.js';

export const FHE_MODELS = ['logistic', 'poly-network'] as const;
export type FheModel = (typeof FHE_MODELS)[number];

/** What a trial returns (and reports per epoch): validation log loss (minimise) or AUC (maximise). */
export const TUNING_METRICS = ['val_log_loss', 'val_auc'] as const;
export type TuningMetric = (typeof TUNING_METRICS)[number];

export interface FheHyperparams {
  /** Logistic regression, or the one-hidden-layer network with the square activation (network.ts). */
  readonly model: FheModel;
  /** Hidden units of the poly-network (a power of two: units are packed in power-of-two slot segments). */
  readonly hiddenWidth: HiddenWidth;
  readonly learningRate: number;
  readonly lrSchedule: LrSchedule;
  /** Nesterov iterations per epoch (the epoch is the reporting unit: the owner decrypts and scores then). */
  readonly iterations: number;
  readonly sigmoidDegree: SigmoidDegree;
  /** The polynomial is fitted on [−bound, bound]. */
  readonly sigmoidBound: number;
  /** Standardised features are multiplied by this, keeping z·w inside the fitted interval. */
  readonly featureScale: number;
  readonly ckks: CkksParams;
  /** Set with the study's own `metric` and `direction` in tuning.config.ts (val_auc goes with 'maximize'). */
  readonly tuningMetric: TuningMetric;
}

const SCHEDULES: readonly LrSchedule[] = ['constant', 'decay'];

function choice<T extends string | number>(read: ReturnType<typeof paramReader>, params: Readonly<Record<string, unknown>>, key: string, options: readonly T[]): T {
  const v = params[key];
  if (!options.includes(v as T)) throw read.fail(key, `expected one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

export function parseFheHyperparams(params: Readonly<Record<string, unknown>>): FheHyperparams {
  const read = paramReader('fhe', params);
  const sigmoidDegree = choice(read, params, 'sigmoid_degree', SIGMOID_DEGREES);
  const polyModulusDegree = choice(read, params, 'poly_modulus_degree', POLY_MODULUS_DEGREES);
  const scaleBits = read.number('scale_bits', Number.isInteger, 'an integer');
  // model and hidden_width may be left out (configs written before the network existed): logistic, 2 units.
  const model = params['model'] === undefined ? 'logistic' : choice(read, params, 'model', FHE_MODELS);
  const hiddenWidth = params['hidden_width'] === undefined ? 2 : choice(read, params, 'hidden_width', HIDDEN_WIDTHS);
  const depthPerIteration = model === 'logistic' ? iterationDepth(sigmoidDegree) : networkIterationDepth(sigmoidDegree);
  return {
    model,
    hiddenWidth,
    learningRate: read.number('learning_rate', (v) => v > 0, 'a number > 0'),
    lrSchedule: choice(read, params, 'lr_schedule', SCHEDULES),
    iterations: read.positiveInt('iterations'),
    sigmoidDegree,
    sigmoidBound: read.number('sigmoid_bound', (v) => v > 0 && v <= 64, 'a number in (0, 64]'),
    featureScale: read.number('feature_scale', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    ckks: deriveCkksParams({ polyModulusDegree, scaleBits, depthPerIteration }),
    tuningMetric: params['tuning_metric'] === undefined ? 'val_log_loss' : choice(read, params, 'tuning_metric', TUNING_METRICS),
  };
}
