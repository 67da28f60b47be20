/**
 * Label normalisation for the optimizer's model: per column z-scores, taken after a log2 for the columns
 * that span orders of magnitude. Computed on the training split and reused for val/test.
 *
 * Why log2 for `n` and `proof_size`: the ring dimension is a power of two (2^10 … 2^16), so log2 n is the
 * natural, evenly spaced coordinate — a raw-scale MSE would be dominated by the few circuits at 2^15–2^16.
 * Proof sizes grow multiplicatively with circuit size and ring dimension; on a log scale their errors are
 * relative errors, which is what matters for a size. `log2_q` is already a log, and `sigma`, `bit_security`
 * and `hardness` vary over a narrow range, so they stay linear.
 */
import { DatasetError } from '../../../errors.js';
import { METRIC_NAMES, TARGET_NAMES, type CircuitSplit } from './types.js';

export type ColumnTransform = 'identity' | 'log2';

export interface ColumnNorm {
  readonly name: string;
  readonly transform: ColumnTransform;
  /** Mean and standard deviation of the transformed column. */
  readonly mean: number;
  /** Floored at 1e-6 so a constant column (e.g. a fixed sigma) normalises to 0 instead of NaN. */
  readonly std: number;
}

export interface LabelNormalisation {
  readonly targets: readonly ColumnNorm[];
  readonly metrics: readonly ColumnNorm[];
}

/** Columns normalised on a log2 scale; every other column is linear. */
export const LOG2_COLUMNS: ReadonlySet<string> = new Set(['n', 'proof_size']);

const MIN_STD = 1e-6;

function forward(t: ColumnTransform, x: number): number {
  return t === 'log2' ? Math.log2(x) : x;
}

function columnNorms(values: Float32Array, names: readonly string[], nRows: number): ColumnNorm[] {
  const cols = names.length;
  return names.map((name, c) => {
    const transform: ColumnTransform = LOG2_COLUMNS.has(name) ? 'log2' : 'identity';
    let sum = 0;
    for (let r = 0; r < nRows; r++) {
      const v = values[r * cols + c];
      if (transform === 'log2' && !(v > 0)) {
        throw new DatasetError(`label \`${name}\` of circuit ${r} is ${v}, but it is normalised on a log2 scale and must be > 0`);
      }
      sum += forward(transform, v);
    }
    const mean = sum / nRows;
    let sq = 0;
    for (let r = 0; r < nRows; r++) sq += (forward(transform, values[r * cols + c]) - mean) ** 2;
    return { name, transform, mean, std: Math.max(Math.sqrt(sq / nRows), MIN_STD) };
  });
}

/**
 * Mean and standard deviation of every target and metric column (after log2 where `LOG2_COLUMNS` says).
 *
 * @example
 * const norm = computeNormalisation(train);
 * const y = normaliseLabels(train.targets, norm.targets); // z-scores, [nCircuits, 3]
 */
export function computeNormalisation(split: CircuitSplit): LabelNormalisation {
  if (split.nCircuits < 1) throw new DatasetError('computeNormalisation: the split has no circuits; generate a non-empty split');
  return {
    targets: columnNorms(split.targets, TARGET_NAMES, split.nCircuits),
    metrics: columnNorms(split.metrics, METRIC_NAMES, split.nCircuits),
  };
}

/** Row-major `[rows, norms.length]` raw labels → z-scores. */
export function normaliseLabels(values: Float32Array, norms: readonly ColumnNorm[]): Float32Array {
  const cols = norms.length;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = norms[i % cols];
    out[i] = (forward(n.transform, values[i]) - n.mean) / n.std;
  }
  return out;
}

/** Inverse of `normaliseLabels`: z-scores → raw labels (2^x for log2 columns). */
export function denormaliseLabels(values: Float32Array, norms: readonly ColumnNorm[]): Float32Array {
  const cols = norms.length;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = norms[i % cols];
    const x = values[i] * n.std + n.mean;
    out[i] = n.transform === 'log2' ? 2 ** x : x;
  }
  return out;
}
