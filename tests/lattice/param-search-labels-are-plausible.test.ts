import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';
import { SIGMA_LADDER } from '../../src/lattice/ckks-noise.js';
import { searchParameters } from '../../src/lattice/param-search.js';

test('sigma stays on the ladder from 3.2 to 6.4 and varies across circuits', () => {
  const rng = new Rng(11, 0);
  const seen = new Set<number>();
  for (let i = 0; i < 300; i++) {
    const multDepth = rng.int(10);
    const p = searchParameters({ multDepth, nNodes: 150 + rng.int(200), nMults: multDepth + rng.int(120) });
    assert.ok(SIGMA_LADDER.includes(p.sigma), String(p.sigma));
    seen.add(p.sigma);
  }
  assert.ok(seen.size >= 4, `only ${[...seen].join(', ')}`);
});

test('proof sizes of typical circuits (depth ≤ 5, 200–300 nodes) are in the low thousands of bytes', () => {
  for (let depth = 0; depth <= 5; depth++) {
    const p = searchParameters({ multDepth: depth, nNodes: 250, nMults: depth + 40 });
    assert.ok(p.proofSize >= 1000 && p.proofSize < 5000, `depth ${depth}: ${p.proofSize}`);
  }
});

test('hardness is the root-Hermite factor of a real attack: just above 1 and lower for safer parameters', () => {
  const shallow = searchParameters({ multDepth: 2, nNodes: 250, nMults: 30 });
  const deeper = searchParameters({ multDepth: 5, nNodes: 250, nMults: 30 });
  assert.equal(shallow.n, deeper.n); // same ring, bigger modulus: an easier lattice
  assert.ok(shallow.hardness > 1 && shallow.hardness < 1.01);
  assert.ok(shallow.bitSecurity > deeper.bitSecurity);
  assert.ok(shallow.hardness < deeper.hardness);
});

test('the same circuit statistics always give the same labels', () => {
  const a = searchParameters({ multDepth: 4, nNodes: 222, nMults: 57 });
  const b = searchParameters({ multDepth: 4, nNodes: 222, nMults: 57 });
  assert.deepEqual(a, b);
});
