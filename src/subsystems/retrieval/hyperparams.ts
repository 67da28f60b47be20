import { ConfigError } from '../../errors.js';
import { isPositiveInt, paramReader, parseTrainingHyperparams, type TrainingHyperparams } from '../../ml/hyperparams.js';

/**
 * A training run of the dense retriever: the shared training keys (its `learningRate` is the projection head's)
 * and the retriever's own. Snake-case keys as in tuning.config.ts and baseline configs.
 */
export interface RetrievalHyperparams extends TrainingHyperparams {
  /** Width of the token embeddings and of the convolutional encoder ("encoder size"). */
  readonly embedDim: number;
  /** Residual width-3 convolution layers over the token embeddings (0: a bag of embeddings). */
  readonly encoderLayers: number;
  readonly outputDim: number;
  /** Hashed character n-gram features (fastText): rows of the n-gram table; 0 turns them off. */
  readonly subwordBuckets: number;
  /** Shortest and longest n-gram, boundary markers counted (`<wh`, `ale>`). */
  readonly subwordMinN: number;
  readonly subwordMaxN: number;
  readonly temperature: number;
  readonly isotropyWeight: number;
  /** λ of the L2 weight regulariser Σ‖W‖² over the convolution and head matrices (a loss term, beside AdamW's decay). */
  readonly regWeight: number;
  readonly baseLearningRate: number;
  readonly projectionLearningRate: number;
  readonly dropout: number;
  /** Train the projection head alone; the encoder keeps its weights (loaded from `baseCheckpoint` when given). */
  readonly freezeBase: boolean;
  /** A finished retrieval run's folder (`studies/<study>/runs/<id>`) whose `best` weights start the model. */
  readonly baseCheckpoint: string | null;
  readonly maxQueryLen: number;
  readonly maxDocLen: number;
  /** BM25 of the baseline and the hybrid. */
  readonly bm25K1: number;
  readonly bm25B: number;
  /** k of reciprocal rank fusion. */
  readonly rrfK: number;
}

const FP16_BACKENDS: readonly string[] = ['webgl', 'webgpu'];

function readBoolean(params: Readonly<Record<string, unknown>>, key: string, fail: (k: string, p: string) => ConfigError): boolean {
  const v = params[key] ?? false;
  if (typeof v !== 'boolean') throw fail(key, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * `mixed_precision: true` is refused, never ignored: float16 needs a WebGL/WebGPU backend, and parzen trains on
 * wasm, cpu or native TensorFlow, none of which has float16 kernels in TensorFlow.js.
 */
function checkMixedPrecision(params: Readonly<Record<string, unknown>>, backend: string, fail: (k: string, p: string) => ConfigError): void {
  if (!readBoolean(params, 'mixed_precision', fail)) return;
  if (!FP16_BACKENDS.includes(backend)) {
    throw fail('mixed_precision', `true needs float16 kernels, which the TensorFlow.js ${backend} backend does not have (only ${FP16_BACKENDS.join('/')} do, and parzen does not train there); set mixed_precision: false`);
  }
}

/**
 * The subword keys. Absent keys mean subwords off (a run recorded before they existed keeps its architecture);
 * `defaults.full` turns them on.
 */
function readSubwords(params: Readonly<Record<string, unknown>>, read: ReturnType<typeof paramReader>): Pick<RetrievalHyperparams, 'subwordBuckets' | 'subwordMinN' | 'subwordMaxN'> {
  const withDefault = (key: string, d: number, check: (v: number) => boolean, want: string): number => (params[key] === undefined ? d : read.number(key, check, want));
  const subwordBuckets = withDefault('subword_buckets', 0, (v) => Number.isInteger(v) && v >= 0 && v <= 1 << 22, 'an integer in [0, 4194304] (0: no subword features)');
  const subwordMinN = withDefault('subword_min_n', 3, (v) => Number.isInteger(v) && v >= 1 && v <= 10, 'an integer in [1, 10]');
  const subwordMaxN = withDefault('subword_max_n', 5, (v) => Number.isInteger(v) && v >= 1 && v <= 10, 'an integer in [1, 10]');
  if (subwordMaxN < subwordMinN) throw read.fail('subword_max_n', `${subwordMaxN} is below subword_min_n ${subwordMinN}; make subword_max_n ≥ subword_min_n`);
  return { subwordBuckets, subwordMinN, subwordMaxN };
}

/**
 * @example parseHyperparams({ ...retrieval.defaults.full, output_dim: 64 })
 */
export function parseHyperparams(params: Readonly<Record<string, unknown>>): RetrievalHyperparams {
  const read = paramReader('retrieval', params);
  const projectionLearningRate = read.number('projection_learning_rate', (v) => v > 0, 'a number > 0');
  const shared = parseTrainingHyperparams('retrieval', { ...params, learning_rate: projectionLearningRate });
  checkMixedPrecision(params, shared.backend, read.fail);
  const base = params['base_checkpoint'] ?? null;
  if (base !== null && (typeof base !== 'string' || base.length === 0)) throw read.fail('base_checkpoint', `expected a run folder (studies/<study>/runs/<id>) or null, got ${JSON.stringify(base)}`);
  return {
    ...shared,
    embedDim: read.positiveInt('embed_dim'),
    encoderLayers: read.number('encoder_layers', (v) => Number.isInteger(v) && v >= 0 && v <= 4, 'an integer in [0, 4]'),
    outputDim: read.positiveInt('output_dim'),
    ...readSubwords(params, read),
    temperature: read.number('temperature', (v) => v > 0 && v <= 10, 'a number in (0, 10]'),
    isotropyWeight: read.number('isotropy_weight', (v) => v >= 0, 'a number ≥ 0'),
    regWeight: read.number('reg_weight', (v) => v >= 0, 'a number ≥ 0'),
    baseLearningRate: read.number('base_learning_rate', (v) => v >= 0, 'a number ≥ 0'),
    projectionLearningRate,
    dropout: read.number('dropout', (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    freezeBase: readBoolean(params, 'freeze_base', read.fail),
    baseCheckpoint: base as string | null,
    maxQueryLen: read.number('max_query_len', (v) => isPositiveInt(v) && v <= 512, 'an integer in [1, 512]'),
    maxDocLen: read.number('max_doc_len', (v) => isPositiveInt(v) && v <= 2048, 'an integer in [1, 2048]'),
    bm25K1: read.number('bm25_k1', (v) => v >= 0, 'a number ≥ 0'),
    bm25B: read.number('bm25_b', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    rrfK: read.number('rrf_k', (v) => v >= 0, 'a number ≥ 0'),
  };
}
