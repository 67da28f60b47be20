import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erf, erfc } from '../../src/samplers/tpe/erf.js';

// Reference values from CPython's math.erf / math.erfc.
const ERF: ReadonlyArray<[number, number]> = [
  [-3, -0.9999779095030014], [-1, -0.8427007929497149], [-0.5, -0.5204998778130465], [0.1, 0.1124629160182849],
  [0.9, 0.7969082124228322], [1.3, 0.9340079449406524], [2.5, 0.999593047982555], [5, 0.9999999999984626],
];
const ERFC: ReadonlyArray<[number, number]> = [
  [-3, 1.9999779095030015], [-1, 1.842700792949715], [0.1, 0.8875370839817152], [0.9, 0.20309178757716786],
  [1.3, 0.06599205505934755], [2.5, 0.0004069520174449589], [5, 1.5374597944280351e-12], [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

test('erf agrees with reference values to within a few ulps', () => {
  for (const [x, want] of ERF) assert.ok(Math.abs(erf(x) - want) <= 4e-16 * Math.abs(want), `erf(${x}) = ${erf(x)}, want ${want}`);
});

test('erfc keeps full relative precision deep in the upper tail', () => {
  for (const [x, want] of ERFC) assert.ok(Math.abs(erfc(x) - want) <= 1e-14 * want, `erfc(${x}) = ${erfc(x)}, want ${want}`);
});

test('erf and erfc handle the infinities and NaN', () => {
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erfc(Infinity), 0);
  assert.equal(erfc(-Infinity), 2);
  assert.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)));
});
