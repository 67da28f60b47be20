import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';

function bits(n: number, logQ: number, sigma: number, secret: 'gaussian' | 'ternary' | 'binary' = 'ternary'): number {
  return estimateLwe({ n, logQ, sigma, secret }).classicalBits;
}

test('security falls as the modulus grows at fixed n and sigma', () => {
  for (const n of [1024, 4096]) {
    let prev = Infinity;
    for (let logQ = 20; logQ <= 200; logQ += 10) {
      const b = bits(n, logQ, 3.2);
      assert.ok(b <= prev, `n=${n} logQ=${logQ}: ${b} > ${prev}`);
      prev = b;
    }
  }
});

test('security rises with the dimension at fixed modulus and sigma', () => {
  let prev = 0;
  for (const n of [1024, 2048, 4096, 8192]) {
    const b = bits(n, 60, 3.2);
    assert.ok(b > prev, `n=${n}: ${b} <= ${prev}`);
    prev = b;
  }
});

test('security rises with the error width at fixed n and modulus', () => {
  let prev = 0;
  for (const sigma of [1, 2, 3.2, 6.4, 12.8]) {
    const b = bits(2048, 60, sigma, 'gaussian');
    assert.ok(b >= prev, `sigma=${sigma}: ${b} < ${prev}`);
    prev = b;
  }
});

test('smaller secrets are easier: binary ≤ ternary ≤ gaussian at sigma 3.2', () => {
  const g = bits(2048, 54, 3.2, 'gaussian');
  const t = bits(2048, 54, 3.2, 'ternary');
  const b = bits(2048, 54, 3.2, 'binary');
  assert.ok(b <= t && t < g, `binary ${b}, ternary ${t}, gaussian ${g}`);
});

test('fewer samples never make the attack cheaper', () => {
  const many = estimateLwe({ n: 1024, logQ: 40, sigma: 3.2, m: 2048 });
  const few = estimateLwe({ n: 1024, logQ: 40, sigma: 3.2, m: 300 });
  assert.ok(few.classicalBits >= many.classicalBits);
  assert.ok(few.samples <= 300);
});
