import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStudy } from './helpers.js';
import { TrialPruned } from '../../src/errors.js';
import { MedianPruner } from '../../src/pruners/index.js';
import { TPESampler } from '../../src/samplers/index.js';

test('optimize stores pruned trials as PRUNED with their last value, and failed ones with their stack', async () => {
  const study = await memoryStudy({ pruner: new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 0 }) });
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat('x', 0, 10);
      if (trial.number === 4) throw new Error('boom in trial 4');
      // Early trials are good; later ones report worse values and get pruned by the median rule.
      const base = trial.number < 2 ? 0 : 100;
      for (let step = 0; step < 5; step++) {
        trial.report(step, base + step);
        if (trial.shouldPrune()) throw new TrialPruned();
      }
      return base + x;
    },
    { nTrials: 6, catchErrors: true },
  );
  const trials = await study.getTrials();
  assert.equal(trials.length, 6);
  assert.equal(trials[4].state, 'FAIL');
  assert.match(trials[4].error?.stack ?? '', /boom in trial 4/);
  const pruned = trials.filter((t) => t.state === 'PRUNED');
  assert.ok(pruned.length >= 2, `expected pruned trials, got states ${trials.map((t) => t.state).join(',')}`);
  for (const t of pruned) assert.equal(t.value, t.intermediateValues.get(Math.max(...t.intermediateValues.keys())));
});

test('optimize without catchErrors fails the trial and rethrows, leaving nothing RUNNING', async () => {
  const study = await memoryStudy();
  await assert.rejects(
    study.optimize(() => {
      throw new RangeError('bad');
    }, { nTrials: 3 }),
    RangeError,
  );
  const trials = await study.getTrials();
  assert.deepEqual(trials.map((t) => t.state), ['FAIL']);
});

test('define-by-run: conditional parameters appear only in the trials that asked for them', async () => {
  const study = await memoryStudy({ sampler: new TPESampler({ seed: 7 }) });
  await study.optimize(
    (trial) => {
      const kind = trial.suggestCategorical('kind', ['linear', 'mlp']);
      if (kind === 'mlp') return trial.suggestInt('layers', 1, 4) + trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
      return trial.suggestFloat('c', 0, 1);
    },
    { nTrials: 30 },
  );
  for (const t of await study.getTrials()) {
    if (t.params.kind === 'mlp') assert.deepEqual(Object.keys(t.params).sort(), ['kind', 'layers', 'lr']);
    else assert.deepEqual(Object.keys(t.params).sort(), ['c', 'kind']);
  }
});

test('suggesting the same name twice returns the same value, and a different distribution is an error', async () => {
  const study = await memoryStudy();
  const trial = await study.ask();
  const a = trial.suggestFloat('x', 0, 1);
  assert.equal(trial.suggestFloat('x', 0, 1), a);
  assert.throws(() => trial.suggestFloat('x', 0, 2), /already suggested/);
});

test('an enqueued trial is run with its fixed parameters first', async () => {
  const study = await memoryStudy();
  await study.enqueueTrial({ x: 0.123 });
  const trial = await study.ask();
  assert.equal(trial.suggestFloat('x', 0, 1), 0.123);
  await study.tell(trial, 1);
  assert.equal((await study.getTrials())[0].params.x, 0.123);
});
