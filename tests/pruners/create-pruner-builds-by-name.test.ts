import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import {
  createPruner,
  HyperbandPruner,
  MedianPruner,
  NopPruner,
  PercentilePruner,
  PRUNER_NAMES,
  SuccessiveHalvingPruner,
} from '../../src/pruners/index.js';

test('each --pruner name builds its pruner class', () => {
  assert.ok(createPruner('none') instanceof NopPruner);
  assert.ok(createPruner('median') instanceof MedianPruner);
  assert.ok(createPruner('percentile', { percentile: 25 }) instanceof PercentilePruner);
  assert.ok(createPruner('asha') instanceof SuccessiveHalvingPruner);
  assert.ok(createPruner('hyperband', { maxResource: 27 }) instanceof HyperbandPruner);
  assert.deepEqual([...PRUNER_NAMES], ['none', 'median', 'percentile', 'asha', 'hyperband']);
});

test('options reach the pruner', () => {
  const median = createPruner('median', { nStartupTrials: 2, nWarmupSteps: 3 });
  assert.ok(median instanceof MedianPruner);
  assert.equal(median.settings.nStartupTrials, 2);
  assert.equal(median.settings.nWarmupSteps, 3);
  assert.equal(median.settings.percentile, 50);
});

test('an unknown name is a usage error listing the choices', () => {
  assert.throws(
    () => createPruner('medain'),
    (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && /--pruner: unknown pruner 'medain'.*median, percentile/.test(e.message),
  );
});

test('percentile without its percentile, and none with options, are config errors', () => {
  assert.throws(() => createPruner('percentile'), (e: unknown) => e instanceof ConfigError && /`percentile`/.test(e.message));
  assert.throws(() => createPruner('none', { nStartupTrials: 1 }), (e: unknown) => e instanceof ConfigError && /takes no options/.test(e.message));
  assert.throws(() => createPruner('asha', { reductionFactor: 0 }), (e: unknown) => e instanceof ConfigError && /`reductionFactor`/.test(e.message));
});
