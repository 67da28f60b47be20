import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSampler, TPESampler } from '../../src/samplers/index.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { ask, frozenTrial, optimize } from './fixtures.js';

const space = { x: float(-5, 5), n: int(1, 64, { log: true }), c: categorical(['a', 'b', 'c']) };
const objective = (p: Record<string, unknown>) => (p.x as number) ** 2 + Math.log(p.n as number) + (p.c === 'b' ? 0 : 1);

test('the first nStartupTrials suggestions are exactly the random sampler\'s, then TPE takes over', () => {
  for (const [nStartupTrials, multivariate] of [[10, false], [4, true]] as const) {
    const tpe = optimize(new TPESampler({ seed: 17, nStartupTrials, multivariate }), space, objective, nStartupTrials + 5).map((t) => t.params);
    const random = optimize(new RandomSampler({ seed: 17 }), space, objective, nStartupTrials + 5).map((t) => t.params);
    assert.deepEqual(tpe.slice(0, nStartupTrials), random.slice(0, nStartupTrials));
    assert.notDeepEqual(tpe.slice(nStartupTrials), random.slice(nStartupTrials));
  }
});

test('pruned trials count towards the startup trials but failed ones do not', () => {
  const failed = Array.from({ length: 10 }, (_, i) => frozenTrial({ number: i, state: 'FAIL' }));
  const random = new RandomSampler({ seed: 3 });
  assert.deepEqual(ask(new TPESampler({ seed: 3 }), failed, space), ask(random, failed, space));
  const pruned = optimize(new RandomSampler({ seed: 1 }), space, objective, 10).map((t) =>
    frozenTrial({ number: t.number, state: 'PRUNED', params: { ...t.params }, distributions: { ...space }, intermediate: [[1, t.value as number]] }),
  );
  assert.notDeepEqual(ask(new TPESampler({ seed: 3 }), pruned, space), ask(random, pruned, space));
});
