import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStudy } from './helpers.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { float, int, categorical } from '../../src/space/distributions.js';

test('ask samples every declared parameter inside its distribution and tell stores the value', async () => {
  const study = await memoryStudy({ sampler: new RandomSampler({ seed: 3 }) });
  const space = { lr: float(1e-5, 1e-1, { log: true }), layers: int(1, 4), act: categorical(['relu', 'gelu']), d: float(0, 1, { step: 0.25 }) };
  for (let i = 0; i < 20; i++) {
    const trial = await study.ask({ space });
    const p = trial.params;
    assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-1);
    assert.ok(Number.isInteger(p.layers) && (p.layers as number) >= 1 && (p.layers as number) <= 4);
    assert.ok(p.act === 'relu' || p.act === 'gelu');
    assert.ok([0, 0.25, 0.5, 0.75, 1].includes(p.d as number));
    const frozen = await study.tell(trial, i);
    assert.equal(frozen.state, 'COMPLETE');
    assert.equal(frozen.value, i);
    assert.deepEqual(frozen.params, p);
  }
  const trials = await study.getTrials();
  assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 20 }, (_, i) => i));
  assert.equal((await study.bestTrial()).value, 0);
});

test('maximize studies rank the largest value first', async () => {
  const study = await memoryStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 1 }) });
  for (const v of [1, 5, 3]) await study.tell(await study.ask({ space: { x: float(0, 1) } }), v);
  assert.deepEqual((await study.bestTrials(3)).map((t) => t.value), [5, 3, 1]);
});

test('bestTrial throws a clear error on a study without complete trials', async () => {
  const study = await memoryStudy();
  await assert.rejects(study.bestTrial(), /no COMPLETE trial yet/);
});
