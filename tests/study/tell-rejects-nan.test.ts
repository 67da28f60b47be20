import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStudy } from './helpers.js';
import { ObjectiveError } from '../../src/errors.js';
import { float } from '../../src/space/distributions.js';

test('telling NaN fails the trial, stores why, and throws OBJECTIVE_VALUE', async () => {
  const study = await memoryStudy();
  const trial = await study.ask({ space: { x: float(0, 1) } });
  await assert.rejects(study.tell(trial, Number.NaN), (e: unknown) => e instanceof ObjectiveError && e.code === 'OBJECTIVE_VALUE');
  const [t] = await study.getTrials();
  assert.equal(t.state, 'FAIL');
  assert.match(t.error?.message ?? '', /returned NaN/);
});

test('±Infinity is a legitimate value and is stored as such', async () => {
  const study = await memoryStudy();
  const a = await study.tell(await study.ask({ space: { x: float(0, 1) } }), Number.POSITIVE_INFINITY);
  const b = await study.tell(await study.ask({ space: { x: float(0, 1) } }), Number.NEGATIVE_INFINITY);
  assert.equal(a.value, Number.POSITIVE_INFINITY);
  assert.equal(b.value, Number.NEGATIVE_INFINITY);
  assert.equal((await study.bestTrial()).number, 1);
});

test('report refuses NaN with a message naming the step', async () => {
  const study = await memoryStudy();
  const trial = await study.ask();
  assert.throws(() => trial.report(2, Number.NaN), /report\(2, NaN\)/);
});
