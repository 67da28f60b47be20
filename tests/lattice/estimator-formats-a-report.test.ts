import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEstimate } from '../../src/lattice/format.js';
import { estimateLwe, type LweParameters } from '../../src/lattice/primal-usvp.js';

test('the report lists the instance, block size and both costs', () => {
  const p: LweParameters = { n: 1024, logQ: 27, sigma: 3.2, secret: 'ternary' };
  const e = estimateLwe(p);
  const text = formatEstimate(e, p);
  assert.match(text, /^n\s+1024$/m);
  assert.match(text, /^log2 q\s+27$/m);
  assert.match(text, new RegExp(`^block size b\\s+${e.blockSize}$`, 'm'));
  assert.match(text, new RegExp(`^classical\\s+${e.classicalBits.toFixed(1)} bits$`, 'm'));
  assert.match(text, new RegExp(`^quantum\\s+${e.quantumBits.toFixed(1)} bits$`, 'm'));
});

test('an infeasible attack reads as infinite cost rather than a number', () => {
  const text = formatEstimate(estimateLwe({ n: 1024, logQ: 2, sigma: 3.2 }));
  assert.match(text, /^classical\s+∞/m);
  assert.doesNotMatch(text, /Infinity/);
});
