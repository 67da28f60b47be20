import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { parseModulus } from '../../src/lattice/modulus.js';

test('decimal, power-of-two and logq forms all give log2 q', () => {
  assert.equal(parseModulus('2^27'), 27);
  assert.equal(parseModulus('2**27'), 27);
  assert.equal(parseModulus(' 2 ^ 54 '), 54);
  assert.equal(parseModulus('logq:27'), 27);
  assert.equal(parseModulus('LOGQ=10.5'), 10.5);
  assert.ok(Math.abs(parseModulus('12289') - Math.log2(12289)) < 1e-12);
  assert.equal(parseModulus('65536'), 16);
});

test('decimal moduli beyond 2^53 keep their size exactly', () => {
  const q = (2n ** 200n + 1n).toString();
  assert.ok(Math.abs(parseModulus(q) - 200) < 1e-9);
  assert.ok(Math.abs(parseModulus((3n * 2n ** 100n).toString()) - (100 + Math.log2(3))) < 1e-9);
});

test('junk, q ≤ 1 and empty input are usage errors naming --q and the accepted forms', () => {
  for (const bad of ['', 'abc', '2^', '2^-3', '1', '0', 'logq:0', '3^5', '1e9']) {
    assert.throws(
      () => parseModulus(bad),
      (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && e.message.includes('`--q`') && e.message.includes('2^27'),
      bad,
    );
  }
});
