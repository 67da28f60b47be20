import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';
import { startTune } from './background.js';

interface TrialJson {
  number: number;
  state: string;
  params: Record<string, unknown>;
  error: { message: string; code: string | null } | null;
}

const trialsOf = (storage: string, study: string): TrialJson[] => JSON.parse(tune(['trials', '--study', study, '--json', '--storage', storage]).stdout) as TrialJson[];

/** The command `tune` printed for `--resume`, as arguments (the test paths hold no spaces or quotes). */
function printedResume(stderr: string): string[] {
  const m = /to finish, run `tune ([^`]+)`/.exec(stderr);
  assert.ok(m !== null, `no resume command in:\n${stderr}`);
  return m[1].split(' ');
}

function assertAllInterrupted(trials: readonly TrialJson[], message: RegExp): void {
  assert.ok(trials.length > 0);
  for (const t of trials) {
    assert.equal(t.state, 'FAIL', `trial ${t.number} is ${t.state}`);
    assert.equal(t.error?.code, 'INTERRUPTED');
    assert.match(t.error?.message ?? '', message);
  }
}

test('SIGINT whose grace period expires exits 130, says interrupted, and the printed --resume command finishes the study', async () => {
  const storage = tempStore();
  const args = ['--objective', fixture('sleepy'), '--trials', '4', '--study', 'i', '--workers', '2', '--grace', '1', '--storage', storage];
  // The trials sleep far longer than the grace period and ignore ctx.signal.
  const run = startTune(args, { PARZEN_TEST_SLEEP_MS: '600000' });
  await run.until(/started/, 2);
  run.kill('SIGINT');
  assert.deepEqual(await run.exited, { code: 130, signal: null }, run.stderr());
  const stderr = run.stderr();
  assert.match(stderr, /study 'i' interrupted by SIGINT: 2 trials run \(0 COMPLETE, 0 PRUNED, 2 FAIL in total\)/);
  assert.match(stderr, /it tops the study up to 4 COMPLETE trials \(it has 0\); the 2 interrupted trials \(stored FAIL, code INTERRUPTED\) will be re-run as new trials/);
  assert.doesNotMatch(stderr, /trials failed/);
  assertAllInterrupted(trialsOf(storage, 'i'), /did not stop within the 1000 ms grace period/);

  const resumed = tune(printedResume(stderr));
  assert.equal(resumed.status, 0, resumed.stderr);
  const trials = trialsOf(storage, 'i');
  assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 4);
  assert.equal(trials.length, 6);
});

for (const workers of ['2', '0']) {
  test(`a second SIGINT stops the running trials at once, stores them FAIL (INTERRUPTED) and exits 130 (--workers ${workers})`, { timeout: 120_000 }, async () => {
    const storage = tempStore();
    // A grace period longer than the test's timeout: only the second SIGINT can end this run in time.
    const args = ['--objective', fixture('sleepy'), '--trials', '6', '--study', 'f', '--workers', workers, '--grace', '600', '--storage', storage];
    const run = startTune(args, { PARZEN_TEST_SLEEP_MS: '600000' });
    await run.until(/started/, workers === '0' ? 1 : 2);
    run.kill('SIGINT');
    await run.until(/finishing running trials, no new ones \(press Ctrl-C again to stop them at once\)/);
    run.kill('SIGINT');
    assert.deepEqual(await run.exited, { code: 130, signal: null }, run.stderr());
    const stderr = run.stderr();
    assert.match(stderr, /SIGINT again: stopping the running trials now/);
    assert.match(stderr, /study 'f' interrupted by SIGINT/);
    assert.match(stderr, /to finish, run `tune .* --trials 6 --resume`: it tops the study up to 6 COMPLETE trials \(it has 0\)/);
    assertAllInterrupted(trialsOf(storage, 'f'), /SIGINT again: trial \d+ was stopped at once/);
  });
}

test('an interrupted grid frees its interrupted points: --resume runs them, and the grid ends with every point once', async () => {
  const storage = tempStore();
  const args = ['--objective', fixture('grid'), '--sampler', 'grid', '--trials', '30', '--study', 'g', '--workers', '2', '--grace', '1', '--storage', storage];
  const run = startTune(args, { PARZEN_TEST_SLEEP_MS: '600000' });
  await run.until(/started/, 2);
  run.kill('SIGINT');
  assert.deepEqual(await run.exited, { code: 130, signal: null }, run.stderr());
  const interrupted = trialsOf(storage, 'g');
  assertAllInterrupted(interrupted, /interrupted by SIGINT/);

  const resumed = tune(printedResume(run.stderr()));
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /grid exhausted: all 30 points have a trial \(30 run now, 0 before\)/);
  const complete = trialsOf(storage, 'g').filter((t) => t.state === 'COMPLETE');
  assert.equal(complete.length, 30);
  assert.equal(new Set(complete.map((t) => `${String(t.params.a)}${String(t.params.b)}`)).size, 30);
  for (const t of interrupted) assert.ok(complete.some((c) => c.params.a === t.params.a && c.params.b === t.params.b), `point of trial ${t.number} was not re-run`);
});
