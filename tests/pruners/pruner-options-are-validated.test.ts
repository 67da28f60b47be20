import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { HyperbandPruner, MedianPruner, PercentilePruner, SuccessiveHalvingPruner } from '../../src/pruners/index.js';

/** Asserts a ConfigError whose message names `option` and matches `hint`. */
function rejects(build: () => unknown, option: string, hint: RegExp): void {
  assert.throws(build, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.ok(e.message.includes(`\`${option}\``), e.message);
    assert.match(e.message, hint);
    return true;
  });
}

// Options arrive untyped from config files and the CLI; these casts stand for such input.
const untyped = <T>(o: Record<string, unknown>): T => o as T;

test('median and percentile options reject negatives, fractions, zero intervals and unknown keys', () => {
  rejects(() => new MedianPruner({ nStartupTrials: -1 }), 'nStartupTrials', /integer ≥ 0, got -1/);
  rejects(() => new MedianPruner({ nWarmupSteps: 1.5 }), 'nWarmupSteps', /integer ≥ 0/);
  rejects(() => new MedianPruner({ intervalSteps: 0 }), 'intervalSteps', /integer ≥ 1/);
  rejects(() => new MedianPruner({ nMinTrials: 0 }), 'nMinTrials', /integer ≥ 1/);
  rejects(() => new MedianPruner(untyped({ nStartupTrial: 3 })), 'nStartupTrial', /unknown.*`nStartupTrials`/);
  rejects(() => new MedianPruner(untyped({ percentile: 30 })), 'percentile', /unknown/);
  rejects(() => new MedianPruner(untyped({ includePruned: 'yes' })), 'includePruned', /true or false/);
});

test('percentile must be given, finite and within [0, 100]', () => {
  rejects(() => new PercentilePruner(untyped({})), 'percentile', /required/);
  rejects(() => new PercentilePruner({ percentile: 101 }), 'percentile', /\[0, 100\], got 101/);
  rejects(() => new PercentilePruner({ percentile: NaN }), 'percentile', /\[0, 100\]/);
  rejects(() => new PercentilePruner(untyped({ percentile: '25' })), 'percentile', /got '25'/);
});

test('successive halving validates its resources and the bootstrap/auto conflict', () => {
  rejects(() => new SuccessiveHalvingPruner({ minResource: 0 }), 'minResource', /'auto' or an integer ≥ 1/);
  rejects(() => new SuccessiveHalvingPruner(untyped({ minResource: 'max' })), 'minResource', /'auto'/);
  rejects(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), 'reductionFactor', /integer ≥ 2/);
  rejects(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 }), 'minEarlyStoppingRate', /integer ≥ 0/);
  rejects(() => new SuccessiveHalvingPruner({ bootstrapCount: 2 }), 'bootstrapCount', /fixed `minResource`/);
  assert.doesNotThrow(() => new SuccessiveHalvingPruner({ bootstrapCount: 2, minResource: 1 }));
});

test('hyperband validates its resources, their order and the bootstrap/auto conflict', () => {
  rejects(() => new HyperbandPruner({ minResource: 0 }), 'minResource', /integer ≥ 1/);
  rejects(() => new HyperbandPruner({ maxResource: 2.5 }), 'maxResource', /'auto' or an integer/);
  rejects(() => new HyperbandPruner({ minResource: 10, maxResource: 5 }), 'maxResource', /below `minResource`/);
  rejects(() => new HyperbandPruner({ reductionFactor: 1 }), 'reductionFactor', /integer ≥ 2/);
  rejects(() => new HyperbandPruner({ bootstrapCount: 1 }), 'bootstrapCount', /fixed `maxResource`/);
  rejects(() => new HyperbandPruner(untyped({ studyName: 3 })), 'studyName', /string/);
});

test('options that are not an object are rejected with the pruner named', () => {
  assert.throws(() => new MedianPruner(untyped<never>([] as unknown as Record<string, unknown>)), /MedianPruner options: must be an object/);
});
