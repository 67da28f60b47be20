import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreColumn } from '../../../src/ml/metrics/regression.js';

test('MAE and R² follow their definitions; predicting the mean scores R² = 0', () => {
  const truth = Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40]); // two columns, four rows
  const exact = scoreColumn(truth, truth, 2, 1);
  assert.deepEqual(exact, { mae: 0, r2: 1 });
  const mean = Float32Array.from([0, 25, 0, 25, 0, 25, 0, 25]);
  const m = scoreColumn(mean, truth, 2, 1);
  assert.equal(m.mae, 10);
  assert.ok(Math.abs(m.r2) < 1e-12);
  // Off by one everywhere in column 0: SS_res = 4, SS_tot = 5 → R² = 0.2.
  const off = Float32Array.from([2, 0, 3, 0, 4, 0, 5, 0]);
  const o = scoreColumn(off, truth, 2, 0);
  assert.equal(o.mae, 1);
  assert.ok(Math.abs(o.r2 - 0.2) < 1e-12);
});
