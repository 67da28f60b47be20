import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { StorageError, TrialPruned } from '../../src/errors.js';
import type { Pruner } from '../../src/pruners/pruner.js';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { PoolRunner } from '../../src/runner/pool.js';
import { runTrials } from '../../src/runner/run-trials.js';
import type { TrialRunner } from '../../src/runner/runner.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';

/** A user pruner (the interface is public): stop every trial once it has reported step 2. */
const fromStep2: Pruner = { prune: (_ctx, _trial, step) => step >= 2 };

async function prunedStudy(): Promise<{ storage: InMemoryStorage; study: Awaited<ReturnType<typeof createStudy>> }> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 'p', sampler: new RandomSampler({ seed: 3 }), pruner: fromStep2 });
  return { storage, study };
}

const warningsOf = async (storage: InMemoryStorage, t: FrozenTrial): Promise<string[]> =>
  (await storage.getLogs({ trialId: t.trialId })).filter((l) => l.level === 'warn').map((l) => l.message);

test('optimize: returning after trial.shouldPrune() answered true stores PRUNED with the last reported value, and logs why', async () => {
  const { storage, study } = await prunedStudy();
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      for (let step = 0; step < 5; step++) {
        trial.report(step, x + step);
        if (trial.shouldPrune()) return -100; // the mistake: a partial value that would look like the best trial
      }
      return x;
    },
    { nTrials: 3 },
  );
  const trials = await study.getTrials();
  assert.deepEqual(trials.map((t) => t.state), ['PRUNED', 'PRUNED', 'PRUNED']);
  for (const t of trials) {
    assert.equal(t.value, (t.params.x as number) + 2);
    const [warning, ...more] = await warningsOf(storage, t);
    assert.equal(more.length, 0);
    assert.match(warning ?? '', /prune at step 2 .*returned -100.*stored PRUNED.*if \(trial\.shouldPrune\(\)\) trial\.prune\(\);/);
  }
  await assert.rejects(study.bestTrial(), (e: unknown) => e instanceof StorageError && e.code === 'TRIAL_NOT_FOUND');
});

test('trial.prune() throws TrialPruned and optimize stores the trial PRUNED without a warning', async () => {
  const { storage, study } = await prunedStudy();
  let thrown: unknown;
  await study.optimize(
    (trial) => {
      for (let step = 0; step < 5; step++) {
        trial.report(step, step);
        try {
          if (trial.shouldPrune()) trial.prune('enough');
        } catch (e) {
          thrown = e;
          throw e;
        }
      }
      return 0;
    },
    { nTrials: 1 },
  );
  assert.ok(thrown instanceof TrialPruned);
  assert.equal(thrown.message, 'enough');
  const [t] = await study.getTrials();
  assert.equal(t.state, 'PRUNED');
  assert.equal(t.value, 2);
  assert.deepEqual(await warningsOf(storage, t), []);
});

test('ask/tell: after a prune verdict NaN is PRUNED too, FAIL stays FAIL, and a verdict only peeked at changes nothing', async () => {
  const { study } = await prunedStudy();
  const told = async (result: Parameters<typeof study.tell>[1], ask: 'shouldPrune' | 'pruneVerdict'): Promise<FrozenTrial> => {
    const trial = await study.ask({ space: { x: float(0, 1) } });
    for (let step = 0; step < 3; step++) trial.report(step, step);
    assert.equal(trial[ask](), true);
    return study.tell(trial, result);
  };
  assert.equal((await told(Number.NaN, 'shouldPrune')).state, 'PRUNED');
  assert.equal((await told({ state: 'FAIL', error: new Error('broke') }, 'shouldPrune')).state, 'FAIL');
  const peeked = await told(0.5, 'pruneVerdict');
  assert.equal(peeked.state, 'COMPLETE');
  assert.equal(peeked.value, 0.5);
});

const fixture = (name: string): string => fileURLToPath(new URL(`../runner/fixtures/${name}.js`, import.meta.url));
const pool = new PoolRunner({ workers: 1 });
after(() => pool.close());

for (const runner of [new InProcessRunner(), pool] as TrialRunner[]) {
  test(`runTrials on ${runner.name}: the decision holds for an objective told to prune, and only for it`, async () => {
    const { storage, study } = await prunedStudy();
    const run = (name: string): Promise<FrozenTrial[]> =>
      runTrials({ study, storage, runner, target: { kind: 'objective', path: fixture(name) }, space: { x: float(0, 1) }, nTrials: 2, budget: {}, seed: 3, worker: 'test', codeVersion: null });
    const told = await run('returns-after-prune-verdict');
    assert.deepEqual(told.map((t) => t.state), ['PRUNED', 'PRUNED']);
    for (const t of told) {
      assert.equal(t.value, (t.params.x as number) + 2);
      assert.equal((await warningsOf(storage, t)).length, 1);
    }
    const neverAsked = await run('never-asks-to-prune');
    assert.deepEqual(neverAsked.map((t) => t.state), ['COMPLETE', 'COMPLETE']);
    for (const t of neverAsked) assert.equal(t.value, t.params.x);
  });
}
