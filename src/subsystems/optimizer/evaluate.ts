import type { AttrValue } from '../../core/frozen.js';
import { scoreColumn } from '../../ml/metrics/regression.js';
import { batches } from './batching.js';
import { METRIC_NAMES, TARGET_NAMES, type CircuitSplit } from './dataset/types.js';
import { estimateLwe } from '../../lattice/primal-usvp.js';
import { proofSizeBytes } from '../../lattice/proof-size.js';
import { denormaliseOutputs, OUTPUT_COUNT, type PreparedSplit } from './feature-stats.js';
import type { GatModel } from './model/gat-model.js';

/** The six evaluated columns, in the network's output order. */
export const OUTPUT_NAMES: readonly string[] = [...TARGET_NAMES, ...METRIC_NAMES];

/** Security the dataset's labels were searched for, and the reference's acceptance bars. */
const TARGET_BITS = 128;
const REFERENCE_MIN_BITS = 100;
const REFERENCE_MAX_PROOF_BYTES = 5000;
/** The estimator's parameter search never goes below this error width (param-search.ts). */
const MIN_SIGMA = 3.2;

/** Raw predictions [nCircuits, 6] (targets then metrics, de-normalised) for a whole split. */
export function predictSplit(model: GatModel, data: PreparedSplit, batchSize: number): Float32Array {
  const out = new Float32Array(data.split.nCircuits * OUTPUT_COUNT);
  for (const b of batches(data, { batchSize, seed: 0, epoch: 0, shuffle: false })) {
    const { targets, metrics } = denormaliseOutputs(model.predict(b), data.stats);
    b.circuits.forEach((c, g) => {
      out.set(targets.subarray(g * 3, g * 3 + 3), c * OUTPUT_COUNT);
      out.set(metrics.subarray(g * 3, g * 3 + 3), c * OUTPUT_COUNT + 3);
    });
  }
  return out;
}

/** Raw labels [nCircuits, 6] of a split, in the network's output order. */
export function labelsOf(split: CircuitSplit): Float32Array {
  const out = new Float32Array(split.nCircuits * OUTPUT_COUNT);
  for (let i = 0; i < split.nCircuits; i++) {
    out.set(split.targets.subarray(i * 3, i * 3 + 3), i * OUTPUT_COUNT);
    out.set(split.metrics.subarray(i * 3, i * 3 + 3), i * OUTPUT_COUNT + 3);
  }
  return out;
}

/**
 * Security and proof size of the parameters the network predicted: n rounded to a power of two, log2 q to
 * whole bits, σ floored at 3.2, then the primal-uSVP estimate (ternary secret, m = 2n, as the labels used)
 * and the proof-size model for the circuit's gate count.
 */
export function assessPredictedParameters(pred: Float32Array, split: CircuitSplit): Record<string, number> {
  const cache = new Map<string, number>();
  const bits: number[] = [];
  const proof: number[] = [];
  for (let i = 0; i < split.nCircuits; i++) {
    const n = 2 ** Math.round(Math.log2(Math.max(pred[i * OUTPUT_COUNT], 2)));
    const logQ = Math.max(1, Math.round(pred[i * OUTPUT_COUNT + 1]));
    const sigma = Math.max(MIN_SIGMA, Math.round(pred[i * OUTPUT_COUNT + 2] * 100) / 100);
    const key = `${n}|${logQ}|${sigma}`;
    let b = cache.get(key);
    if (b === undefined) {
      b = estimateLwe({ n, logQ, sigma, secret: 'ternary', m: 2 * n }).classicalBits;
      cache.set(key, b);
    }
    bits.push(b);
    const nGates = split.nodeOffsets[i + 1] - split.nodeOffsets[i];
    proof.push(proofSizeBytes({ n, logQ, nGates, securityBits: TARGET_BITS }));
  }
  const frac = (xs: number[], ok: (x: number) => boolean): number => xs.filter(ok).length / Math.max(xs.length, 1);
  const sorted = [...bits].sort((a, b) => a - b);
  return {
    predicted_bits_mean: bits.reduce((a, b) => a + b, 0) / Math.max(bits.length, 1),
    predicted_bits_min: sorted[0] ?? Number.NaN,
    predicted_bits_median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    predicted_frac_bits_ge_128: frac(bits, (b) => b >= TARGET_BITS),
    predicted_frac_bits_gt_100: frac(bits, (b) => b > REFERENCE_MIN_BITS),
    predicted_proof_bytes_mean: proof.reduce((a, b) => a + b, 0) / Math.max(proof.length, 1),
    predicted_frac_proof_lt_5000: frac(proof, (p) => p < REFERENCE_MAX_PROOF_BYTES),
  };
}

/**
 * Test-set results of a trained network: MAE and R² per target (raw units), the same for the baseline that
 * predicts the training mean, whether the network beats it on every target, and the security / proof size of
 * the predicted parameters.
 */
export function evaluateTest(model: GatModel, test: PreparedSplit, trainSplit: CircuitSplit, batchSize: number): Record<string, AttrValue> {
  const pred = predictSplit(model, test, batchSize);
  const truth = labelsOf(test.split);
  const trainLabels = labelsOf(trainSplit);
  const meanPred = new Float32Array(truth.length);
  for (let c = 0; c < OUTPUT_COUNT; c++) {
    let m = 0;
    for (let r = 0; r < trainSplit.nCircuits; r++) m += trainLabels[r * OUTPUT_COUNT + c];
    m /= trainSplit.nCircuits;
    for (let r = 0; r < test.split.nCircuits; r++) meanPred[r * OUTPUT_COUNT + c] = m;
  }
  const result: Record<string, AttrValue> = { test_circuits: test.split.nCircuits };
  let beatsMean = true;
  OUTPUT_NAMES.forEach((name, c) => {
    const s = scoreColumn(pred, truth, OUTPUT_COUNT, c);
    const base = scoreColumn(meanPred, truth, OUTPUT_COUNT, c);
    Object.assign(result, { [`${name}_mae`]: s.mae, [`${name}_r2`]: s.r2, [`${name}_mean_baseline_mae`]: base.mae, [`${name}_mean_baseline_r2`]: base.r2 });
    if (!(s.r2 > base.r2 && s.r2 > 0)) beatsMean = false;
  });
  result['beats_mean_on_every_target'] = beatsMean;
  Object.assign(result, assessPredictedParameters(pred, test.split));
  return result;
}
