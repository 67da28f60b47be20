import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestOfDistinct, bestOfIid } from '../../scripts/bench/broad/best-of.js';
import { loadProblems } from '../../scripts/bench/problems/index.js';
import { TABLE_PROBLEMS } from '../../scripts/bench/problems/tables.js';
import { sampleUniform } from '../../src/samplers/random.js';
import type { ParamValue } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';

test('the exact best of n i.i.d. draws and of n distinct cells, on cases small enough to count by hand', () => {
  // Two equally likely values 0 and 1, two draws: the best is 1 only if both are 1.
  assert.deepEqual(bestOfIid([0, 1], [0.5, 0.5], 2, 0), { mean: 0.25, pStar: 0.75 });
  // Two of {0, 1, 2} without replacement: {0,1} {0,2} {1,2} → minima 0, 0, 1.
  const d = bestOfDistinct([2, 0, 1], 2, 0);
  assert.ok(Math.abs(d.mean - 1 / 3) < 1e-12 && Math.abs(d.pStar - 2 / 3) < 1e-12, JSON.stringify(d));
  assert.deepEqual(bestOfDistinct([3, 1, 2], 3, 1), { mean: 1, pStar: 1 });
});

test('they agree with simulation on a random table of uneven cell probabilities', () => {
  const rng = new Rng(11);
  const values = Array.from({ length: 40 }, () => Math.round(rng.random() * 20));
  const raw = values.map(() => 0.2 + rng.random());
  const probs = raw.map((w) => w / raw.reduce((a, b) => a + b, 0));
  const fStar = Math.min(...values);
  const draw = (): number => {
    let u = rng.random();
    for (let i = 0; i < probs.length; i++) if ((u -= probs[i]) < 0) return i;
    return probs.length - 1;
  };
  const runs = 40_000;
  let [iid, distinct] = [0, 0];
  for (let r = 0; r < runs; r++) {
    iid += Math.min(...Array.from({ length: 6 }, () => values[draw()]));
    const pool = [...values];
    let best = Infinity;
    for (let k = 0; k < 6; k++) best = Math.min(best, pool.splice(rng.int(pool.length), 1)[0]);
    distinct += best;
  }
  // Standard error of a mean of minima in [0, 20] over 40,000 runs is below 0.05; allow 0.15.
  assert.ok(Math.abs(iid / runs - bestOfIid(values, probs, 6, fStar).mean) < 0.15, `${iid / runs} vs ${bestOfIid(values, probs, 6, fStar).mean}`);
  assert.ok(Math.abs(distinct / runs - bestOfDistinct(values, 6, fStar).mean) < 0.15, `${distinct / runs} vs ${bestOfDistinct(values, 6, fStar).mean}`);
});

test("a table problem's grid cell is the one it scores, and a conditional table ignores inactive parameters", () => {
  const rng = new Rng(3);
  for (const problem of loadProblems(Object.keys(TABLE_PROBLEMS))) {
    const grid = problem.grid;
    assert.ok(grid !== undefined, `${problem.name} has no grid`);
    for (let i = 0; i < 200; i++) {
      const p: Record<string, ParamValue> = {};
      for (const [n, d] of Object.entries(problem.space)) p[n] = sampleUniform(d, rng);
      assert.equal(grid.values[grid.cellOf(p)], problem.evaluate(p, () => 0).truth, `${problem.name} ${JSON.stringify(p)}`);
    }
  }
  // svm_kernels_wine and svm_kernels_cancer: a linear trial never has gamma or degree; its cell is the table's row for
  // their first values, and every other row of the same (linear, C) holds the same error (the table repeats unused
  // parameters); degree matters only for poly.
  for (const svm of loadProblems(['svm_kernels_wine', 'svm_kernels_cancer'])) {
    const grid = svm.grid;
    assert.ok(grid !== undefined && svm.when !== undefined, svm.name);
    const value = (p: Record<string, ParamValue>): number => grid.values[grid.cellOf(p)];
    assert.equal(grid.cellOf({ kernel: 'linear', C: 1 }), grid.cellOf({ kernel: 'linear', C: 1, gamma: 1e-4, degree: 2 }), svm.name);
    assert.equal(value({ kernel: 'linear', C: 1 }), value({ kernel: 'linear', C: 1, gamma: 3, degree: 4 }), svm.name);
    assert.equal(value({ kernel: 'rbf', C: 1, gamma: 0.01, degree: 2 }), value({ kernel: 'rbf', C: 1, gamma: 0.01, degree: 4 }), svm.name);
    assert.notEqual(grid.cellOf({ kernel: 'rbf', C: 1, gamma: 1e-4 }), grid.cellOf({ kernel: 'rbf', C: 1, gamma: 3 }), svm.name);
  }
});
