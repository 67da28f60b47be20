import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QMCSampler, RandomSampler, TPESampler } from '../../src/samplers/index.js';
import { ConfigError } from '../../src/errors.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { makeSampler } from '../../src/samplers/make.js';
import { ask, optimize } from './fixtures.js';

const space = {
  c: categorical(['a', 'b', 'c']),
  lr: float(1e-5, 1e-1, { log: true }),
  n: int(1, 8),
  x: float(-5, 5, { step: 0.5 }),
};
const objective = (p: Record<string, unknown>) => (p.x as number) ** 2 + Math.log10(p.lr as number) ** 2 + (p.n as number) + (p.c === 'b' ? 0 : 1);

test('every suggestion lies inside its distribution, and the same seed repeats the study exactly', () => {
  const a = optimize(new QMCSampler({ space, seed: 3 }), space, objective, 40).map((t) => t.params);
  const b = optimize(new QMCSampler({ space, seed: 3 }), space, objective, 40).map((t) => t.params);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, optimize(new QMCSampler({ space, seed: 4 }), space, objective, 40).map((t) => t.params));
  for (const p of a) {
    assert.ok(['a', 'b', 'c'].includes(p.c as string));
    assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-1);
    assert.ok(Number.isInteger(p.n) && (p.n as number) >= 1 && (p.n as number) <= 8);
    assert.ok(Number.isInteger((p.x as number) * 2) && Math.abs(p.x as number) <= 5);
  }
});

test('a categorical dimension is balanced and an integer range has no gaps in the first trials', () => {
  const params = optimize(new QMCSampler({ space, seed: 11 }), space, objective, 24).map((t) => t.params);
  const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
  for (const p of params) counts[p.c as string]++;
  // c is dimension 0 (base 2): 24 points, one per 1/24 … each third of [0, 1) gets 8 ± 1.
  for (const k of ['a', 'b', 'c']) assert.ok(Math.abs(counts[k] - 8) <= 1, `choice ${k} drawn ${counts[k]} times of 24`);
  // n is dimension 2 (base 5): the first 25 points visit every fifth of [0, 1), so 24 cover all 8 integers.
  assert.equal(new Set(params.map((p) => p.n)).size, 8);
});

test('a parameter outside the declared space is drawn uniformly, as the random sampler would', () => {
  const extra = { ...space, z: float(0, 1) };
  const qmc = new QMCSampler({ space, seed: 5 });
  const random = new RandomSampler({ seed: 5 });
  assert.equal(ask(qmc, [], extra).z, ask(random, [], extra).z);
});

test("TPE with startup 'qmc' takes its start-up trials from the Halton sequence, then models", () => {
  const tpe = optimize(new TPESampler({ seed: 9, nStartupTrials: 6, startup: 'qmc', space }), space, objective, 10).map((t) => t.params);
  const qmc = optimize(new QMCSampler({ space, seed: 9 }), space, objective, 10).map((t) => t.params);
  assert.deepEqual(tpe.slice(0, 6), qmc.slice(0, 6));
  assert.notDeepEqual(tpe.slice(6), qmc.slice(6));
});

test('bad options are refused with the option named', () => {
  assert.throws(() => new TPESampler({ seed: 1, startup: 'qmc' }), (e: unknown) => e instanceof ConfigError && /TPESampler\.space/.test(e.message));
  assert.throws(() => new TPESampler({ seed: 1, startup: 'sobol' as 'qmc' }), (e: unknown) => e instanceof ConfigError && /TPESampler\.startup/.test(e.message));
  assert.throws(() => new QMCSampler(undefined as unknown as { space: {} }), (e: unknown) => e instanceof ConfigError && /QMCSampler\.space/.test(e.message));
  assert.ok(makeSampler('qmc', { seed: 1, space }) instanceof QMCSampler);
});
