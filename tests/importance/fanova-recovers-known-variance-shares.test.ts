import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanovaImportance } from '../../src/importance/index.js';
import { treeVarianceFractions } from '../../src/importance/fanova.js';
import { categorical, float, type Distribution, type ParamValue } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { blankTrial } from '../fixtures/frozen-trial.js';

type Draw = (rng: Rng) => ParamValue;

function randomStudy(n: number, seed: number, space: Record<string, [Distribution, Draw]>, f: (p: Record<string, ParamValue>) => number): FrozenTrial[] {
  const rng = new Rng(seed);
  const distributions = Object.fromEntries(Object.entries(space).map(([k, [d]]) => [k, d]));
  return Array.from({ length: n }, (_, i) => {
    const params = Object.fromEntries(Object.entries(space).map(([k, [, draw]]) => [k, draw(rng)]));
    return blankTrial(i, { params, distributions, value: f(params) });
  });
}
const uniform = (lo: number, hi: number): [Distribution, Draw] => [float(lo, hi), (r) => lo + (hi - lo) * r.random()];
const shares = (r: ReturnType<typeof fanovaImportance>): Record<string, number> => Object.fromEntries(r.importances.map((p) => [p.param, p.importance]));

test('an additive f = 4·x0 + 2·x1 + 0·x2 on [0,1]³: the true variance shares 16/20, 4/20 and 0 are recovered', () => {
  for (const seed of [1, 2]) {
    const trials = randomStudy(400, seed, { x0: uniform(0, 1), x1: uniform(0, 1), x2: uniform(0, 1) }, (p) => 4 * Number(p.x0) + 2 * Number(p.x1));
    const r = fanovaImportance(trials, { nTrees: 16, seed });
    const s = shares(r);
    assert.ok(Math.abs(s.x0 - 0.8) < 0.06, `seed ${seed}: x0 ≈ 0.8: ${JSON.stringify(s)}`);
    assert.ok(Math.abs(s.x1 - 0.2) < 0.06, `seed ${seed}: x1 ≈ 0.2: ${JSON.stringify(s)}`);
    assert.ok(s.x2 < 0.03, `seed ${seed}: x2 unused: ${JSON.stringify(s)}`);
    // No interaction: the main effects explain (nearly) all the variance.
    assert.ok(r.importances.reduce((a, p) => a + p.varianceFraction, 0) > 0.85, JSON.stringify(r.importances));
    assert.equal(r.nTrials, 400);
  }
});

test('a pure interaction f = x0·x1 on [−1,1]² has no main effects: the single-parameter variance fractions stay small', () => {
  const trials = randomStudy(400, 3, { x0: uniform(-1, 1), x1: uniform(-1, 1) }, (p) => Number(p.x0) * Number(p.x1));
  const r = fanovaImportance(trials, { nTrees: 16 });
  for (const p of r.importances) assert.ok(p.varianceFraction < 0.15, JSON.stringify(r.importances));
});

test('a categorical that shifts the value outranks a weak numeric and an unused categorical', () => {
  const acts = ['relu', 'gelu', 'tanh'];
  const trials = randomStudy(300, 5, {
    act: [categorical(acts), (r) => acts[Math.floor(3 * r.random())]],
    opt: [categorical(['a', 'b']), (r) => (r.random() < 0.5 ? 'a' : 'b')],
    x: uniform(0, 1),
  }, (p) => ({ relu: 0, gelu: 3, tanh: 1 })[String(p.act) as 'relu'] + 0.3 * Number(p.x));
  const s = shares(fanovaImportance(trials, { nTrees: 16 }));
  // Var(act) = 14/9 − (4/3)² ≈ 1.56 − … = 0.889; Var(0.3·x) = 0.0075: act ≈ 0.99.
  assert.ok(s.act > 0.95 && s.opt < 0.02, JSON.stringify(s));
});

test('one hand-built tree: the variance decomposition is exact', () => {
  // Split x0 at 0.5 (left 0, right: split x1 at 0.5 into 2 and 4). Leaves: w = ½ (v 0), ¼ (v 2), ¼ (v 4).
  const tree = {
    feature: Int32Array.from([0, -1, 1, -1, -1]),
    threshold: Float64Array.from([0.5, 0, 0.5, 0, 0]),
    left: Int32Array.from([1, -1, 3, -1, -1]),
    right: Int32Array.from([2, -1, 4, -1, -1]),
    value: Float64Array.from([0, 0, 3, 2, 4]),
  };
  // f0 = 1.5; V = ½·2.25 + ¼·0.25 + ¼·6.25 = 2.75. f_x0 = 0 | 3 → V0 = 2.25; f_x1 = 1 | 2 → V1 = 0.25.
  const [v0, v1] = treeVarianceFractions(tree, [[0, 1], [0, 1]])!;
  assert.ok(Math.abs(v0 - 2.25 / 2.75) < 1e-12, String(v0));
  assert.ok(Math.abs(v1 - 0.25 / 2.75) < 1e-12, String(v1));
});

test('too few trials give equal shares; bad options are named', () => {
  const one = randomStudy(1, 1, { a: uniform(0, 1), b: uniform(0, 1) }, () => 1);
  assert.deepEqual(shares(fanovaImportance(one)), { a: 0.5, b: 0.5 });
  assert.deepEqual(fanovaImportance([]).importances, []);
  assert.throws(() => fanovaImportance([], { nTrees: 0 }), /nTrees must be an integer ≥ 1/);
});
