import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSampler } from '../../src/samplers/index.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { frozenTrial, optimize } from './fixtures.js';

const space = { x: float(-5, 5), n: int(1, 100, { log: true }), c: categorical(['a', 'b', 'c']) };
const run = (seed: number) => optimize(new RandomSampler({ seed }), space, () => 0, 20).map((t) => t.params);

test('the same seed gives the same suggestions', () => {
  assert.deepEqual(run(7), run(7));
});

test('different seeds give different suggestions', () => {
  assert.notDeepEqual(run(7), run(8));
});

test('a suggestion depends on the trial number, not on how many draws came before', () => {
  const sequential = optimize(new RandomSampler({ seed: 3 }), space, () => 0, 5)[4].params;
  // A fresh sampler asked for trial 4 directly, with no earlier calls, gives the same values.
  const fresh = new RandomSampler({ seed: 3 });
  const direct = frozenTrial({ number: 4, state: 'RUNNING' });
  for (const [name, d] of Object.entries(space)) {
    assert.equal(fresh.sampleIndependent({ direction: 'minimize', trials: [] }, direct, name, d), sequential[name]);
  }
});
