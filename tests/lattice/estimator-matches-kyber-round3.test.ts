// Published figures: CRYSTALS-Kyber Algorithm Specifications and Supporting Documentation (version 3.02,
// 2021), Table 4 "primal attack, core-SVP": Kyber-512 classical 118 / quantum 107, Kyber-768 182 / 165,
// Kyber-1024 256 / 232 (the spec prints floor(cost)). Instances as in pq-crystals/security-estimates
// (Kyber.py): LWE dimension k·256, q = 3329, at most (k+1)·256 samples, centred binomial secret and error with
// std √(η/2): η1 = 3 → √1.5 for Kyber-512, η1 = 2 → 1 for Kyber-768/1024.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';

const cases = [
  { name: 'Kyber-512', k: 2, sigma: Math.sqrt(1.5), classical: 118, quantum: 107 },
  { name: 'Kyber-768', k: 3, sigma: 1, classical: 182, quantum: 165 },
  { name: 'Kyber-1024', k: 4, sigma: 1, classical: 256, quantum: 232 },
] as const;

for (const c of cases) {
  test(`${c.name} primal core-SVP agrees with the round-3 specification within 4 bits`, () => {
    const e = estimateLwe({ n: 256 * c.k, logQ: Math.log2(3329), sigma: c.sigma, m: 256 * (c.k + 1) });
    assert.ok(Math.abs(e.classicalBits - c.classical) <= 4, `classical ${e.classicalBits} vs ${c.classical}`);
    assert.ok(Math.abs(e.quantumBits - c.quantum) <= 4, `quantum ${e.quantumBits} vs ${c.quantum}`);
    assert.ok(e.samples <= 256 * (c.k + 1));
    assert.equal(e.dimension, e.samples + 256 * c.k + 1);
  });
}
