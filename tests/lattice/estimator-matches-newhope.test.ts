// Published figures: Alkim, Ducas, Pöppelmann, Schwabe, "Post-quantum key exchange — a new hope" (USENIX
// Security 2016), Table 1: NewHope primal attack, b = 967, known classical 282, known quantum 256, best
// plausible 200. Instance: n = 1024, q = 12289, ψ16 (centred binomial, σ = √8), secret as the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLwe } from '../../src/lattice/primal-usvp.js';

test('NewHope-1024 primal block size and costs agree with ADPS16 Table 1', () => {
  const e = estimateLwe({ n: 1024, logQ: Math.log2(12289), sigma: Math.sqrt(8), m: 2048 });
  assert.ok(Math.abs(e.blockSize - 967) <= 10, `block size ${e.blockSize} vs 967`);
  assert.ok(Math.abs(e.classicalBits - 282) <= 4, `classical ${e.classicalBits} vs 282`);
  assert.ok(Math.abs(e.quantumBits - 256) <= 4, `quantum ${e.quantumBits} vs 256`);
});
