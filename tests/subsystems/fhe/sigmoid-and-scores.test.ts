import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auc, scoreBinary } from '../../../src/subsystems/fhe/metrics.js';
import { momentumWeights } from '../../../src/subsystems/fhe/nesterov.js';
import { evalPolynomial, fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';

const sigma = (u: number): number => 1 / (1 + Math.exp(-u));

test('least-squares sigmoids fit better with degree and are odd around 1/2', () => {
  const maxErr = (d: number, bound: number): number => {
    const c = fitSigmoid(d, bound);
    let worst = 0;
    for (let u = -bound; u <= bound; u += bound / 200) worst = Math.max(worst, Math.abs(evalPolynomial(c, u) - sigma(u)));
    return worst;
  };
  const e3 = maxErr(3, 8);
  const e5 = maxErr(5, 8);
  const e7 = maxErr(7, 8);
  assert.ok(e3 < 0.12 && e5 < e3 && e7 < e5, `errors ${e3} ${e5} ${e7}`);
  const c = fitSigmoid(3, 8);
  assert.equal(c[0], 0.5);
  assert.equal(c[2], 0);
  // Kim et al. 2018 report σ3(x) = 0.5 + 0.15012x − 0.001593x³ on [−8, 8] (least squares on a finer measure).
  assert.ok(Math.abs(c[1] - 0.15) < 0.01 && Math.abs(c[3] + 0.0016) < 0.0003, `${c}`);
});

test('Nesterov momentum weights start at 0 and turn negative (look-ahead)', () => {
  const eta = momentumWeights(4);
  assert.equal(eta[0], 0);
  assert.ok(eta[1] < 0 && eta[2] < eta[1]);
});

test('AUC, accuracy and log loss agree with hand-computed values', () => {
  assert.equal(auc(Float64Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1])), 0.75);
  assert.equal(auc(Float64Array.from([0.5, 0.5]), Uint8Array.from([0, 1])), 0.5);
  const s = scoreBinary([0, 1], [Float64Array.from([2]), Float64Array.from([-2])], Uint8Array.from([1, 1]));
  assert.equal(s.accuracy, 0.5);
  assert.ok(Math.abs(s.logLoss - (-Math.log(sigma(2)) - Math.log(sigma(-2))) / 2) < 1e-12);
});
