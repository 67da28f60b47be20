import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSampler } from '../../src/samplers/index.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { ask, frozenTrial, optimize } from './fixtures.js';

const grid = { lr: [0.001, 0.01, 0.1], layers: [2, 4], act: ['relu', 'gelu'] };
const space = { lr: float(0.001, 0.1, { log: true }), layers: int(2, 4), act: categorical(['relu', 'gelu']) };
const key = (p: Record<string, unknown>) => JSON.stringify([p.lr, p.layers, p.act]);

test('the grid sampler visits every grid point exactly once before repeating', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 1 });
  const history = optimize(sampler, space, () => 0, 12);
  const seen = new Set(history.map((t) => key(t.params)));
  assert.equal(seen.size, 12);
  assert.equal(sampler.size, 12);
  assert.ok(sampler.isExhausted({ direction: 'minimize', trials: history }));
  assert.ok(!sampler.isExhausted({ direction: 'minimize', trials: history.slice(0, 11) }));
});

test('a running trial holds its grid point, so a parallel ask gets another one', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 1 });
  const first = ask(sampler, [], space);
  const running = frozenTrial({ number: 0, state: 'RUNNING', params: first });
  const second = ask(sampler, [running], space);
  assert.notEqual(key(first), key(second));
});

test('the visiting order is fixed by the seed', () => {
  const order = (seed: number) => optimize(new GridSampler({ searchSpace: grid, seed }), space, () => 0, 12).map((t) => key(t.params));
  assert.deepEqual(order(4), order(4));
  assert.notDeepEqual(order(4), order(5));
});

test('an exhausted grid keeps suggesting grid points', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 2 });
  const history = optimize(sampler, space, () => 0, 15);
  const points = new Set(optimize(new GridSampler({ searchSpace: grid, seed: 2 }), space, () => 0, 12).map((t) => key(t.params)));
  for (const t of history.slice(12)) assert.ok(points.has(key(t.params)));
});
