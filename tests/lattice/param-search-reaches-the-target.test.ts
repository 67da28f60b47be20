import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';
import { searchParameters } from '../../src/lattice/param-search.js';
import { modulusChain } from '../../src/lattice/ckks-noise.js';

test('every searched parameter set reaches the target under an independent estimate', () => {
  const rng = new Rng(7, 0);
  for (let i = 0; i < 200; i++) {
    const multDepth = rng.int(15);
    const nMults = multDepth + rng.int(150);
    const nNodes = 20 + rng.int(580);
    const targetBits = [80, 128, 192][i % 3];
    const p = searchParameters({ multDepth, nNodes, nMults, targetBits });
    const check = estimateLwe({ n: p.n, logQ: p.logQ, sigma: p.sigma, secret: 'ternary', m: 2 * p.n });
    assert.ok(check.classicalBits >= targetBits, `${JSON.stringify({ multDepth, nMults, targetBits, p })}`);
    assert.equal(p.bitSecurity, check.classicalBits);
    assert.equal(p.hardness, check.delta);
  }
});

test('the ring is the smallest power of two that reaches the target', () => {
  for (const multDepth of [0, 2, 5, 9]) {
    const nMults = multDepth + 30;
    const p = searchParameters({ multDepth, nNodes: 200, nMults });
    assert.equal(Math.log2(p.n) % 1, 0);
    assert.equal(p.logQ, modulusChain(p.n, multDepth, nMults).logQ);
    if (p.n > 1024) {
      // Half the ring, with the chain the circuit would need there, must fall short of the target.
      const logQ = modulusChain(p.n / 2, multDepth, nMults).logQ;
      const half = estimateLwe({ n: p.n / 2, logQ, sigma: 3.2, secret: 'ternary', m: p.n });
      assert.ok(half.classicalBits < 128, `depth ${multDepth}: n/2 gives ${half.classicalBits}`);
    }
  }
});
