// Published figures: FrodoKEM round-3 specification (2021) and the ISO preliminary standardisation proposal
// (2023–2025), Table A.7 "core-SVP, one LWE instance", primal attack, classical / quantum:
// FrodoKEM-640 150.8 / 137.6, FrodoKEM-976 216.0 / 196.7, FrodoKEM-1344 281.6 / 256.3.
// Instances: q = 2^15 / 2^16 / 2^16, σ = 2.8 / 2.3 / 1.4, secret distributed as the error, at most n + 8 samples
// (n + max(m̄, n̄) in the spec's search_params_pke.py). The spec's scripts (pqsec.py) cost an SVP call as
// 2^(0.292 b + log2 b), hence costModel 'core-svp-log-b'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';

const cases = [
  { name: 'FrodoKEM-640', n: 640, logQ: 15, sigma: 2.8, classical: 150.8, quantum: 137.6 },
  { name: 'FrodoKEM-976', n: 976, logQ: 16, sigma: 2.3, classical: 216.0, quantum: 196.7 },
  { name: 'FrodoKEM-1344', n: 1344, logQ: 16, sigma: 1.4, classical: 281.6, quantum: 256.3 },
] as const;

for (const c of cases) {
  test(`${c.name} primal estimate agrees with the specification's Table A.7 within 4 bits`, () => {
    const e = estimateLwe({ n: c.n, logQ: c.logQ, sigma: c.sigma, m: c.n + 8, costModel: 'core-svp-log-b' });
    assert.ok(Math.abs(e.classicalBits - c.classical) <= 4, `classical ${e.classicalBits} vs ${c.classical}`);
    assert.ok(Math.abs(e.quantumBits - c.quantum) <= 4, `quantum ${e.quantumBits} vs ${c.quantum}`);
  });
}

test('the plain core-SVP model is the FrodoKEM figure minus log2 of the block size', () => {
  const base = { n: 640, logQ: 15, sigma: 2.8, m: 648 };
  const plain = estimateLwe(base);
  const withLog = estimateLwe({ ...base, costModel: 'core-svp-log-b' });
  assert.equal(plain.blockSize, withLog.blockSize);
  assert.ok(Math.abs(withLog.classicalBits - plain.classicalBits - Math.log2(plain.blockSize)) < 1e-9);
});
