// The Homomorphic Encryption Security Standard (Albrecht et al., 2018), Table 1 for 128-bit classical security,
// ternary secret, σ = 3.2: n = 1024 → log2 q = 27, 2048 → 54, 4096 → 109, 8192 → 218, 16384 → 438,
// 32768 → 881. The standard costs BKZ as 8d SVP calls of 2^(0.292 b + 16.4) (the 2018 LWE estimator), so its
// 128 bits sit 27–33 bits above the bare core-SVP figure of one SVP call; docs/estimator.md explains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';

const table = [
  [1024, 27],
  [2048, 54],
  [4096, 109],
  [8192, 218],
  [16384, 438],
  [32768, 881],
] as const;

test('with the standard’s own BKZ cost model the table rows estimate to 128 ± 5 bits', () => {
  for (const [n, logQ] of table) {
    const e = estimateLwe({ n, logQ, sigma: 3.2, secret: 'ternary', costModel: 'bkz-sieve' });
    assert.ok(Math.abs(e.classicalBits - 128) <= 5, `n=${n}: ${e.classicalBits}`);
  }
});

test('core-SVP puts the table rows in the documented band of 88 to 105 bits, never above 128', () => {
  for (const [n, logQ] of table) {
    const e = estimateLwe({ n, logQ, sigma: 3.2, secret: 'ternary' });
    assert.ok(e.classicalBits >= 88 && e.classicalBits <= 105, `n=${n}: ${e.classicalBits}`);
  }
});

test('eight bits more modulus than the table allows lowers the estimate at every row', () => {
  for (const [n, logQ] of table) {
    const at = estimateLwe({ n, logQ, sigma: 3.2, secret: 'ternary' });
    const above = estimateLwe({ n, logQ: logQ + 8, sigma: 3.2, secret: 'ternary' });
    assert.ok(above.classicalBits < at.classicalBits, `n=${n}`);
  }
});
