import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';

type TrialJson = { number: number; params: Record<string, unknown> };

/**
 * The parameters of a seeded 12-trial study of the four-parameter quadratic fixture, run with `extra`, one trial at a
 * time (in deterministic batches of 4, trials 4–7 are asked with 4 finished, so 6 and 8 start-up trials coincide).
 */
function params(extra: readonly string[]): Record<string, unknown>[] {
  const storage = tempStore();
  const run = tune(['--objective', fixture('quadratic'), '--trials', '12', '--study', 's', '--seed', '4', '--workers', '0', '--no-deterministic', '--storage', storage, ...extra]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`\\(${extra.length === 0 ? 'auto' : extra[1]} sampler, seed 4`));
  const trials = JSON.parse(tune(['trials', '--study', 's', '--json', '--storage', storage]).stdout) as TrialJson[];
  return trials.sort((a, b) => a.number - b.number).map((t) => t.params);
}

test('without --sampler a study is sampled by auto: the trials --sampler auto gives, not --sampler tpe\'s', () => {
  const byDefault = params([]);
  assert.equal(byDefault.length, 12);
  assert.deepEqual(byDefault, params(['--sampler', 'auto']));
  const tpe = params(['--sampler', 'tpe']);
  // Both start from the same Halton points; on this four-parameter space auto at 12 trials is the isotropic GP,
  // which models from the 5th trial (session 26), tpe from the 9th.
  assert.deepEqual(byDefault.slice(0, 4), tpe.slice(0, 4));
  assert.notDeepEqual(byDefault.slice(4, 8), tpe.slice(4, 8));
});
