/**
 * The fhe subsystem's objective and full training on top of engine.ts: budget caps, per-epoch metrics (scores and
 * scale health), pruning, interrupts, checkpoints of the decrypted weights and the test report beside the
 * plaintext twin and a converged plaintext logistic regression.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attrs } from '../../core/frozen.js';
import { paramReader } from '../../ml/hyperparams.js';
import type { FullTrainContext, FullTrainResult, SubsystemTrialContext } from '../subsystem.js';
import { fitLogisticNewton } from './converged.js';
import { modelScorer } from './model-run.js';
import { interrupted, loadFheData, trainEncrypted, type EpochRecord, type TrainSummary } from './engine.js';
import { parseFheHyperparams, type TuningMetric } from './hyperparams.js';
import { scoreBinary } from './metrics.js';
import type { ScaleHealth } from './session-base.js';

/** The per-epoch record (step = epoch): scores, the distance to the float64 twin, refreshes, time. */
export function epochMetrics(r: EpochRecord): Record<string, number> {
  return {
    val_log_loss: r.val.logLoss,
    val_accuracy: r.val.accuracy,
    val_auc: r.val.auc,
    train_log_loss: r.trainLogLoss,
    plain_val_log_loss: r.plainVal.logLoss,
    max_abs_weight_diff: r.maxAbsWeightDiff,
    measured_precision_bits: r.measuredPrecisionBits,
    refreshes: r.refreshes,
    iteration_seconds: r.secondsPerIteration,
  };
}

/**
 * Scale health after one iteration (step = iteration, counted across epochs from 1): where the state sits in the
 * chain, its scale, the precision estimate, and whether the owner refreshed it first. Read from the ciphertext's
 * level and scale, no decryption.
 */
export function iterationMetrics(h: ScaleHealth): Record<string, number> {
  return { level: h.level, levels_left: h.levelsLeft, log2_scale: h.log2Scale, est_precision_bits: h.estPrecisionBits, refreshed: h.refreshed ? 1 : 0 };
}

/** The epoch's value of the tuning metric. */
export function metricValue(r: EpochRecord, metric: TuningMetric): number {
  return metric === 'val_auc' ? r.val.auc : r.val.logLoss;
}

/** The best epoch by the tuning metric: lowest log loss, or highest AUC. */
export function bestEpoch(epochs: readonly EpochRecord[], metric: TuningMetric): EpochRecord {
  const better = (a: EpochRecord, b: EpochRecord): boolean => (metric === 'val_auc' ? metricValue(a, metric) > metricValue(b, metric) : metricValue(a, metric) < metricValue(b, metric));
  return epochs.reduce((best, e) => (better(e, best) ? e : best));
}

export async function runObjective(params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext): Promise<number> {
  const hp = parseFheHyperparams(params);
  if (ctx.signal.aborted) throw interrupted();
  const data = loadFheData(ctx.datasetsDir, hp.featureScale);
  const { epochs, batchCap } = ctx.budget;
  const perEpoch = Math.min(hp.iterations, batchCap ?? hp.iterations);
  ctx.setAttr('ckks_chain_bits', hp.ckks.coeffModulusBits.join(','));
  ctx.setAttr('model', hp.model);
  ctx.log('info', 'fhe: encrypted training', { model: hp.model, epochs, iterations: perEpoch, polyModulusDegree: hp.ckks.polyModulusDegree, levels: hp.ckks.levels, train: data.train.y.length });
  const s = await trainEncrypted({
    data, hp, epochs, iterationsPerEpoch: perEpoch, signal: ctx.signal, seed: ctx.seed,
    onIteration: (p) => {
      ctx.metrics(p.step + 1, iterationMetrics(p.health));
      ctx.progress({ epoch: p.epoch + 1, epochs, batch: p.iteration + 1, batches: perEpoch });
    },
    onEpoch: (r) => {
      ctx.metrics(r.epoch + 1, epochMetrics(r));
      ctx.report(r.epoch + 1, metricValue(r, hp.tuningMetric));
      return ctx.shouldPrune();
    },
  });
  const last = s.epochs[s.epochs.length - 1];
  if (s.stoppedBy === 'pruned') ctx.prune(`pruned after epoch ${s.epochs.length}: ${hp.tuningMetric} ${metricValue(last, hp.tuningMetric)}`);
  recordSummary(ctx.setAttr, s);
  return metricValue(bestEpoch(s.epochs, hp.tuningMetric), hp.tuningMetric);
}

function recordSummary(setAttr: SubsystemTrialContext['setAttr'], s: TrainSummary): void {
  setAttr('refreshes', s.refresh.refreshes);
  setAttr('refresh_bytes', s.refresh.bytesToOwner + s.refresh.bytesToServer);
  setAttr('levels_per_iteration', s.levelsPerIteration);
  setAttr('min_levels_left', s.minLevelsLeft);
  setAttr('min_est_precision_bits', s.minEstPrecisionBits);
  setAttr('final_measured_precision_bits', s.epochs[s.epochs.length - 1].measuredPrecisionBits);
  setAttr('keygen_seconds', s.setupSeconds.keygen);
  setAttr('keys_reused', s.keysReused);
  setAttr('seconds_per_iteration', s.epochs.reduce((a, e) => a + e.secondsPerIteration, 0) / s.epochs.length);
}

function prefixed(prefix: string, scores: { accuracy: number; auc: number; logLoss: number }): Attrs {
  return { [`${prefix}accuracy`]: scores.accuracy, [`${prefix}auc`]: scores.auc, [`${prefix}log_loss`]: scores.logLoss };
}

export async function runFullTraining(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext, defaults: Readonly<Record<string, unknown>>): Promise<FullTrainResult> {
  const merged = { ...defaults, ...config };
  const hp = parseFheHyperparams(merged);
  const epochs = paramReader('fhe', merged).positiveInt('epochs');
  const data = loadFheData(ctx.datasetsDir, hp.featureScale);
  let best: EpochRecord | undefined;
  const save = (tag: string, r: EpochRecord): void =>
    writeFileSync(join(ctx.checkpointDir, `${tag}.json`), `${JSON.stringify({ epoch: r.epoch + 1, w: Array.from(r.w), plainW: Array.from(r.plainW), val: r.val })}\n`);
  const s = await trainEncrypted({
    data, hp, epochs, iterationsPerEpoch: hp.iterations, signal: ctx.signal, seed: ctx.seed, onDiverge: 'stop',
    onIteration: (p) => {
      ctx.metrics(p.step + 1, iterationMetrics(p.health));
      ctx.progress({ epoch: p.epoch + 1, epochs, batch: p.iteration + 1, batches: hp.iterations });
    },
    onEpoch: (r) => {
      ctx.metrics(r.epoch + 1, epochMetrics(r));
      if (best === undefined || bestEpoch([best, r], hp.tuningMetric) === r) {
        best = r;
        save('best', r);
      }
      save('last', r);
    },
  });
  const b = best as EpochRecord;
  const score = modelScorer(hp, data.train.x[0].length + 1);
  const converged = fitLogisticNewton(data.train.x, data.train.y);
  const positives = data.test.y.reduce((a, v) => a + v, 0) / data.test.y.length;
  const last = s.epochs[s.epochs.length - 1];
  if (s.stopReason !== undefined) {
    ctx.log('warn', `fhe: stopped after epoch ${s.epochs.length} of ${epochs}, keeping the best epoch (${b.epoch + 1}): ${s.stopReason}`);
  }
  return {
    value: metricValue(b, hp.tuningMetric),
    result: {
      model: hp.model,
      ...(hp.model === 'poly-network' ? { hidden_width: hp.hiddenWidth } : {}),
      ...prefixed('test_', score(b.w, data.test)),
      ...prefixed('plain_test_', score(b.plainW, data.test)),
      ...prefixed('converged_test_', scoreBinary(converged, data.test.x, data.test.y)),
      majority_baseline_accuracy: Math.max(positives, 1 - positives),
      max_abs_weight_diff: Math.max(...s.epochs.map((e) => e.maxAbsWeightDiff)),
      min_measured_precision_bits: Math.min(...s.epochs.map((e) => e.measuredPrecisionBits)),
      min_levels_left: s.minLevelsLeft,
      min_est_precision_bits: s.minEstPrecisionBits,
      best_epoch: b.epoch + 1,
      epochs_run: s.epochs.length,
      stopped_by: s.stoppedBy,
      ...(s.stopReason === undefined ? {} : { stop_reason: s.stopReason }),
      iterations: last.iterations,
      refreshes: s.refresh.refreshes,
      refresh_bytes_to_owner: s.refresh.bytesToOwner,
      refresh_bytes_to_server: s.refresh.bytesToServer,
      levels_per_iteration: s.levelsPerIteration,
      seconds_per_iteration: s.epochs.reduce((a, e) => a + e.secondsPerIteration, 0) / s.epochs.length,
      keygen_seconds: s.setupSeconds.keygen,
      keys_reused: s.keysReused,
      encrypt_seconds: s.setupSeconds.encrypt,
      poly_modulus_degree: hp.ckks.polyModulusDegree,
      coeff_modulus_bits: hp.ckks.coeffModulusBits.join(','),
      test_rows: data.test.y.length,
    },
  };
}
