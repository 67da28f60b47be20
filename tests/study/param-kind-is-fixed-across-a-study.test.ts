import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, StorageError } from '../../src/errors.js';
import { categorical, float, int, type Distribution } from '../../src/space/distributions.js';
import type { Study } from '../../src/study/study.js';
import { memoryStudy } from './helpers.js';

const isConflict = (pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof StorageError, `expected a StorageError, got ${String(e)}`);
  assert.equal(e.code, 'PARAM_CONFLICT');
  assert.match(e.message, pattern);
  return true;
};

/** A study whose trial 0 suggested `name` from `first` (and finished). */
async function studyWith(name: string, first: Distribution): Promise<Study> {
  const study = await memoryStudy();
  const t = await study.ask();
  t.suggest(name, first);
  await study.tell(t, 1);
  return study;
}

test("suggestInt('lr', 1, 3) where lr is a log-float in the study is PARAM_CONFLICT naming both and the fix, as Optuna refuses it", async () => {
  const study = await studyWith('lr', float(1e-5, 1e-1, { log: true }));
  const trial = await study.ask();
  assert.throws(
    () => trial.suggestInt('lr', 1, 3),
    isConflict(/parameter "lr" is int\(1, 3\) here but float\(0\.00001, 0\.1, \{ log: true \}\) in trial 0 .*a float there and an int here.*another name, or start a new study/),
  );
  // The refused suggestion left nothing behind: the trial can still finish, and nothing is RUNNING.
  await study.tell(trial, { state: 'FAIL', error: new Error('conflict') });
  assert.deepEqual((await study.getTrials()).map((t) => t.state), ['COMPLETE', 'FAIL']);
  assert.deepEqual((await study.getTrials())[1].params, {});
});

test('a change of log scale or of categorical choices is refused; a categorical cannot become a float', async () => {
  const linear = await (await studyWith('lr', float(1e-5, 1e-1))).ask();
  assert.throws(() => linear.suggestFloat('lr', 1e-5, 1e-1, { log: true }), isConflict(/linear there and log-scaled here/));
  const act = await (await studyWith('act', categorical(['relu', 'gelu']))).ask();
  assert.throws(() => act.suggestCategorical('act', ['relu', 'gelu', 'tanh']), isConflict(/choices differ/));
  assert.throws(() => act.suggestCategorical('act', ['gelu', 'relu']), isConflict(/choices differ/));
  assert.throws(() => act.suggestFloat('act', 0, 1), isConflict(/a categorical there and a float here/));
});

test('the same kind with another range or step is allowed (Optuna 3.1: ranges may differ from trial to trial)', async () => {
  const study = await studyWith('n', int(1, 4));
  const wider = await study.ask();
  const n = wider.suggestInt('n', 0, 100, { step: 2 });
  assert.ok(n >= 0 && n <= 100 && n % 2 === 0);
  await study.tell(wider, n);
  const f = await (await studyWith('x', float(0, 1))).ask();
  assert.ok(f.suggestFloat('x', -5, 5, { step: 0.5 }) >= -5);
  const log = await (await studyWith('lr', float(1e-5, 1e-1, { log: true }))).ask();
  assert.ok(log.suggestFloat('lr', 1e-4, 1, { log: true }) >= 1e-4);
});

test('parameter names are looked up as names, not as object properties', async () => {
  const study = await studyWith('x', float(0, 1));
  const trial = await study.ask();
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(typeof trial.suggestInt(name, 1, 3), 'number');
});

test('ask with a declared space that conflicts with the study refuses before creating a trial', async () => {
  const study = await studyWith('lr', float(1e-5, 1e-1, { log: true }));
  await assert.rejects(study.ask({ space: { lr: int(1, 3) } }), isConflict(/study "s": parameter "lr" is int\(1, 3\) here/));
  assert.equal((await study.getTrials()).length, 1);
});

test('a distribution that float()/int() would refuse is refused at suggest, naming the trial and parameter', async () => {
  const trial = await (await memoryStudy()).ask();
  assert.throws(() => trial.suggestFloat('x', 5, 1), (e: unknown) => e instanceof ConfigError && e.code === 'SPACE_INVALID' && /trial 0: suggest "x": low 5 > high 1/.test(e.message));
  assert.throws(() => trial.suggestFloat('y', 0, 1, { log: true }), /suggest "y": log scale needs low > 0/);
});
