import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntersectionSearchSpaceCache, intersectionSearchSpace } from '../../src/samplers/tpe/search-space.js';
import type { Distribution } from '../../src/space/distributions.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import type { FrozenTrial, TrialState } from '../../src/core/frozen.js';
import { Rng } from '../../src/util/rng.js';
import { frozenTrial } from './fixtures.js';

const CHOICES: Record<string, Distribution[]> = {
  a: [float(0, 1), float(0, 2)],
  b: [int(1, 5)],
  c: [categorical(['x', 'y'])],
  d: [float(1e-3, 1, { log: true })],
};
const STATES: TrialState[] = ['COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'RUNNING'];

/** A random trial: each parameter present with probability 0.9, 'a' occasionally with another range. */
function randomTrial(rng: Rng, number: number): FrozenTrial {
  const distributions: Record<string, Distribution> = {};
  for (const [name, ds] of Object.entries(CHOICES)) {
    if (rng.random() < 0.9) distributions[name] = ds[rng.random() < 0.97 ? 0 : ds.length - 1];
  }
  return frozenTrial({ number, state: STATES[Math.floor(rng.random() * STATES.length)], distributions });
}

test('the incremental joint search space equals a full scan as trials finish one by one', () => {
  for (let seed = 0; seed < 20; seed++) {
    const rng = new Rng(seed, 0, 0);
    const cache = new IntersectionSearchSpaceCache();
    const trials: FrozenTrial[] = [];
    for (let n = 0; n < 60; n++) {
      trials.push(randomTrial(rng, n));
      // A RUNNING trial finishes later, as in a parallel study: replace it with its finished snapshot.
      const running = trials.findIndex((t) => t.state === 'RUNNING');
      if (running >= 0 && rng.random() < 0.3) trials[running] = { ...trials[running], state: 'COMPLETE', distributions: { a: float(0, 2) } };
      assert.deepEqual(cache.get(trials), intersectionSearchSpace(trials), `seed ${seed}, ${n + 1} trials`);
    }
  }
});

test('a trial list from another study starts the incremental joint search space over', () => {
  const cache = new IntersectionSearchSpaceCache();
  const first = [frozenTrial({ number: 0, distributions: { a: float(0, 1) } })];
  assert.deepEqual(Object.keys(cache.get(first)), ['a']);
  const other = [{ ...frozenTrial({ number: 0, distributions: { b: int(1, 5) } }), studyId: 2 }];
  assert.deepEqual(Object.keys(cache.get(other)), ['b']);
});
