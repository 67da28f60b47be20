import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import type { EpochRecord } from '../../../src/subsystems/fhe/engine.js';
import fhe from '../../../src/subsystems/fhe/index.js';
import { parseFheHyperparams } from '../../../src/subsystems/fhe/hyperparams.js';
import { bestEpoch, metricValue } from '../../../src/subsystems/fhe/trial.js';

const epoch = (n: number, logLoss: number, auc: number): EpochRecord => {
  const scores = { accuracy: 0.9, auc, logLoss };
  const w = new Float64Array(3);
  const health = { level: 6, levelsLeft: 0, log2Scale: 24, estPrecisionBits: 1, refreshed: true };
  return { epoch: n, val: scores, plainVal: scores, trainLogLoss: logLoss, maxAbsWeightDiff: 0, measuredPrecisionBits: 52, health, refreshes: n, secondsPerIteration: 1, iterations: n, w, plainW: w };
};

test('the tuning metric picks the epoch with the lowest validation log loss, or with the highest AUC', () => {
  const epochs = [epoch(0, 0.5, 0.90), epoch(1, 0.3, 0.93), epoch(2, 0.35, 0.97)];
  assert.equal(bestEpoch(epochs, 'val_log_loss').epoch, 1);
  assert.equal(metricValue(bestEpoch(epochs, 'val_log_loss'), 'val_log_loss'), 0.3);
  assert.equal(bestEpoch(epochs, 'val_auc').epoch, 2);
  assert.equal(metricValue(bestEpoch(epochs, 'val_auc'), 'val_auc'), 0.97);
  assert.equal(bestEpoch([epoch(0, 0.3, 0.9), epoch(1, 0.3, 0.9)], 'val_log_loss').epoch, 0, 'a tie keeps the earlier epoch');
});

test('tuning_metric defaults to val_log_loss and refuses anything but val_log_loss or val_auc, naming the key', () => {
  const full = fhe.defaults.full;
  assert.equal(parseFheHyperparams(full).tuningMetric, 'val_log_loss');
  assert.equal(parseFheHyperparams({ ...full, tuning_metric: 'val_auc' }).tuningMetric, 'val_auc');
  assert.throws(() => parseFheHyperparams({ ...full, tuning_metric: 'accuracy' }), (e: unknown) => e instanceof ConfigError && e.message.includes('tuning_metric') && e.message.includes('val_auc'));
});
