import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchParameters } from '../../src/lattice/param-search.js';

test('deeper circuits need a larger modulus and never a smaller ring', () => {
  for (const nMults of [20, 80]) {
    let prev = searchParameters({ multDepth: 0, nNodes: 250, nMults });
    for (let depth = 1; depth <= 16; depth++) {
      const p = searchParameters({ multDepth: depth, nNodes: 250, nMults });
      assert.ok(p.logQ > prev.logQ, `depth ${depth}: logQ ${p.logQ} <= ${prev.logQ}`);
      assert.ok(p.n >= prev.n, `depth ${depth}: n ${p.n} < ${prev.n}`);
      prev = p;
    }
  }
});

test('more multiplications at the same depth never shrink the modulus', () => {
  let prev = 0;
  for (const nMults of [4, 16, 64, 256, 1024]) {
    const p = searchParameters({ multDepth: 4, nNodes: 300, nMults });
    assert.ok(p.logQ >= prev);
    prev = p.logQ;
  }
});

test('wide circuits get at least two slots per node', () => {
  const p = searchParameters({ multDepth: 1, nNodes: 5000, nMults: 10 });
  assert.ok(p.n >= 2 * 8192, String(p.n));
});
