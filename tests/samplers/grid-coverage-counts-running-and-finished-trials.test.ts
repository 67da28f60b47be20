import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSampler } from '../../src/samplers/index.js';
import { categorical, int } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { ask, frozenTrial } from './fixtures.js';

const grid = { a: [0, 1, 2], b: ['p', 'q'] };
const space = { a: int(0, 2), b: categorical(['p', 'q']) };
const key = (p: Record<string, unknown>) => `${String(p.a)}${String(p.b)}`;
const ctx = (trials: readonly FrozenTrial[]) => ({ direction: 'minimize' as const, trials });
const interrupted = { message: 'interrupted by SIGINT', stack: null, code: 'INTERRUPTED' };

test('coverage counts the points finished trials hold and, apart, those only running trials hold', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 3 });
  const trials = [
    frozenTrial({ number: 0, params: { a: 0, b: 'p' } }),
    frozenTrial({ number: 1, state: 'PRUNED', params: { a: 1, b: 'p' } }),
    frozenTrial({ number: 2, state: 'FAIL', params: { a: 2, b: 'p' } }),
    frozenTrial({ number: 3, state: 'RUNNING', params: { a: 0, b: 'q' } }),
    // A running trial on a finished point (a retry) takes no second point.
    frozenTrial({ number: 4, state: 'RUNNING', params: { a: 0, b: 'p' } }),
    frozenTrial({ number: 5, state: 'WAITING' }),
  ];
  assert.deepEqual(sampler.coverage(ctx(trials)), { nPoints: 6, nFinished: 3, nRunning: 1 });
  assert.equal(sampler.isExhausted(ctx(trials)), false);
});

test('the grid is exhausted once every point has a finished or running trial', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 3 });
  const trials: FrozenTrial[] = [];
  for (let n = 0; n < 6; n++) {
    assert.equal(sampler.isExhausted(ctx(trials)), false, `exhausted after ${n} trials`);
    // Every trial stays RUNNING: several workers hold points at once.
    trials.push(frozenTrial({ number: n, state: 'RUNNING', params: ask(sampler, trials, space) }));
  }
  assert.equal(new Set(trials.map((t) => key(t.params))).size, 6, 'running trials never share a point');
  assert.equal(sampler.isExhausted(ctx(trials)), true);
});

test('an interrupted trial frees its point, so a resumed study runs it again', () => {
  const sampler = new GridSampler({ searchSpace: grid, seed: 5 });
  const done: FrozenTrial[] = [];
  for (let n = 0; n < 6; n++) done.push(frozenTrial({ number: n, params: ask(sampler, done, space) }));
  const stopped = frozenTrial({ number: 2, state: 'FAIL', params: done[2].params });
  const history = done.map((t) => (t.number === 2 ? { ...stopped, error: interrupted } : t));
  assert.deepEqual(sampler.coverage(ctx(history)), { nPoints: 6, nFinished: 5, nRunning: 0 });
  assert.equal(sampler.isExhausted(ctx(history)), false);
  assert.equal(key(ask(sampler, history, space)), key(done[2].params));
  // A trial that failed on its own did run its point: the point stays taken.
  const failed = done.map((t) => (t.number === 2 ? stopped : t));
  assert.equal(sampler.isExhausted(ctx(failed)), true);
});
