import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncryptedSession, releaseCachedSetup } from '../../../src/subsystems/fhe/session.js';
import { fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';

// WebAssembly memory is reported in `external` (with ArrayBuffers, which JS garbage-collects); it never shrinks,
// so a SEAL object left undeleted per iteration shows up as growth of external − arrayBuffers.
const wasmBytes = (): number => {
  const m = process.memoryUsage();
  return m.external - m.arrayBuffers;
};

test('many encrypted iterations (with a refresh each) leave WebAssembly memory flat: every SEAL object is freed', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => Float64Array.from({ length: 8 }, (_, j) => Math.sin(i * 7 + j) * 0.5));
  const session = await EncryptedSession.start({ polyModulusDegree: 8192, scaleBits: 24, sigmoidDegree: 3, rows, initialWeights: new Float64Array(8) });
  try {
    const sigmoid = fitSigmoid(3, 8);
    const step = (i: number): void => void session.step({ sigmoid, bound: 8, gamma: 0.01, eta: i === 0 ? 0 : -0.2 });
    for (let i = 0; i < 3; i++) step(i);
    // The heap grows in chunks, so one window may see a single grow even with nothing leaked; a leak grows every
    // window. Two windows of 12 iterations: the smaller growth must stay flat.
    const window = (from: number): number => {
      const before = wasmBytes();
      for (let i = from; i < from + 12; i++) step(i);
      return wasmBytes() - before;
    };
    const grown = Math.min(window(3), window(15));
    // One leaked ciphertext per iteration at N = 8192 (7 primes) is ~0.9 MB, 12 iterations ~11 MB.
    assert.ok(grown < 4e6, `WebAssembly memory grew by ${(grown / 1e6).toFixed(1)} MB over 12 iterations`);
    assert.equal(session.refreshStats.refreshes, 26, 'a depth-6 iteration on a 6-level chain needs a refresh before every iteration but the first');
  } finally {
    session.delete();
    releaseCachedSetup();
  }
});
