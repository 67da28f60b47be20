import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pedAnovaImportance } from '../../src/importance/index.js';
import { categorical, float, int, type Distribution, type ParamValue } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { blankTrial } from '../fixtures/frozen-trial.js';

type Draw = (rng: Rng) => ParamValue;

/** `n` random-search trials of `f` over `space` (each entry: its distribution and how to draw from it). */
function randomStudy(n: number, seed: number, space: Record<string, [Distribution, Draw]>, f: (p: Record<string, ParamValue>) => number): FrozenTrial[] {
  const rng = new Rng(seed);
  const distributions = Object.fromEntries(Object.entries(space).map(([k, [d]]) => [k, d]));
  return Array.from({ length: n }, (_, i) => {
    const params = Object.fromEntries(Object.entries(space).map(([k, [, draw]]) => [k, draw(rng)]));
    return blankTrial(i, { params, distributions, value: f(params) });
  });
}

const uniform = (lo: number, hi: number): [Distribution, Draw] => [float(lo, hi), (r) => lo + (hi - lo) * r.random()];
const byName = (r: ReturnType<typeof pedAnovaImportance>): Record<string, number> => Object.fromEntries(r.importances.map((p) => [p.param, p.importance]));

test('f = 10·x0² + x1² + 0·x2: x0 matters most, x1 next, x2 (unused) hardly at all', () => {
  for (const seed of [1, 2, 3]) {
    const trials = randomStudy(1000, seed, { x0: uniform(-1, 1), x1: uniform(-1, 1), x2: uniform(-1, 1) }, (p) => 10 * Number(p.x0) ** 2 + Number(p.x1) ** 2);
    const r = pedAnovaImportance(trials, 'minimize');
    const imp = byName(r);
    assert.deepEqual(r.importances.map((p) => p.param), ['x0', 'x1', 'x2'], `seed ${seed}: ${JSON.stringify(imp)}`);
    assert.ok(imp.x0 > 2 * imp.x1, `seed ${seed}: x0 ≫ x1: ${JSON.stringify(imp)}`);
    assert.ok(imp.x2 < 0.05, `seed ${seed}: x2 is noise: ${JSON.stringify(imp)}`);
    assert.ok(Math.abs(imp.x0 + imp.x1 + imp.x2 - 1) < 1e-9);
    assert.equal(r.nTrials, 1000);
    assert.equal(r.nTopTrials, 100);
  }
});

test('maximising flips which end counts: the top of f = −(x − 0.8)² is near 0.8, the unused y stays unimportant', () => {
  const trials = randomStudy(600, 7, { x: uniform(0, 1), y: uniform(0, 1) }, (p) => -((Number(p.x) - 0.8) ** 2));
  const imp = byName(pedAnovaImportance(trials, 'maximize'));
  assert.ok(imp.x > 0.9, JSON.stringify(imp));
  // Read as minimising, the top trials sit at x = 0 instead: still x, found from the other end.
  assert.ok(byName(pedAnovaImportance(trials, 'minimize')).x > 0.9);
});

test('a categorical that decides the value outranks an unused categorical; a log-scaled int that orders the top counts too', () => {
  const acts = ['relu', 'gelu', 'tanh', 'sigmoid'];
  const opts = ['adam', 'sgd', 'rmsprop', 'lion'];
  const trials = randomStudy(800, 11, {
    act: [categorical(acts), (r) => acts[Math.floor(4 * r.random())]],
    opt: [categorical(opts), (r) => opts[Math.floor(4 * r.random())]],
    width: [int(1, 1024, { log: true }), (r) => Math.round(Math.exp(Math.log(1024) * r.random()))],
  }, (p) => (p.act === 'gelu' ? 0 : 5) + Math.log2(Number(p.width)) * 0.05);
  // A quarter of the trials are gelu, so the top 20 % are all gelu, and among them the smaller widths.
  const imp = byName(pedAnovaImportance(trials, 'minimize', { baselineQuantile: 0.2 }));
  assert.ok(imp.act > 5 * imp.opt, JSON.stringify(imp));
  assert.ok(imp.width > 5 * imp.opt, JSON.stringify(imp));
});

test('against the uniform baseline (evaluateOnLocal: false) the ranking holds too', () => {
  const trials = randomStudy(1000, 5, { x0: uniform(-1, 1), x1: uniform(-1, 1), x2: uniform(-1, 1) }, (p) => 10 * Number(p.x0) ** 2 + Number(p.x1) ** 2);
  const r = pedAnovaImportance(trials, 'minimize', { evaluateOnLocal: false });
  assert.deepEqual(r.importances.map((p) => p.param), ['x0', 'x1', 'x2']);
});

test('too few trials give equal shares; PRUNED, FAIL and single-valued params are left out', () => {
  const few = randomStudy(2, 1, { a: uniform(0, 1), b: uniform(0, 1) }, () => 1);
  assert.deepEqual(byName(pedAnovaImportance(few, 'minimize')), { a: 0.5, b: 0.5 });
  const trials = randomStudy(200, 3, { a: uniform(0, 1), fixed: [float(1, 1), () => 1] }, (p) => Number(p.a));
  const withOthers = [...trials, blankTrial(200, { state: 'FAIL' }), blankTrial(201, { state: 'PRUNED', value: 0 })];
  const r = pedAnovaImportance(withOthers, 'minimize');
  assert.equal(r.nTrials, 200);
  assert.deepEqual(r.importances.map((p) => p.param), ['a']);
  assert.deepEqual(pedAnovaImportance([], 'minimize').importances, []);
});

test('bad options are rejected with the option named', () => {
  assert.throws(() => pedAnovaImportance([], 'minimize', { baselineQuantile: 0 }), /baselineQuantile/);
  assert.throws(() => pedAnovaImportance([], 'minimize', { nSteps: 1 }), /nSteps/);
});
