import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

test('bad pool options are refused with a ConfigError naming the option and the flag', () => {
  const cases: [ConstructorParameters<typeof PoolRunner>[0], RegExp][] = [
    [{ workers: 0 }, /workers must be a whole number ≥ 1 \(set it with --workers\), got 0/],
    [{ workers: 1.5 }, /workers must be a whole number ≥ 1/],
    [{ trialTimeoutMs: -5 }, /trialTimeoutMs must be a finite number > 0 \(set it with --trial-timeout\)/],
    [{ maxOldGenerationMb: Number.NaN }, /maxOldGenerationMb must be a finite number > 0/],
    [{ graceMs: Number.POSITIVE_INFINITY }, /graceMs must be a finite number ≥ 0/],
  ];
  for (const [opts, message] of cases) {
    assert.throws(
      () => new PoolRunner(opts),
      (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && message.test(e.message),
      JSON.stringify(opts),
    );
  }
});

test('a closed pool refuses new trials and says how to get a working one', async () => {
  const runner = new PoolRunner({ workers: 1 });
  assert.equal(runner.name, 'pool');
  await runner.close();
  await assert.rejects(runner.run(fixtureJob('quadratic'), recordingEvents().events, neverAborted()), /the pool is closed; create a new PoolRunner/);
});
