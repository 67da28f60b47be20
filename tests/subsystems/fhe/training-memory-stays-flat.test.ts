import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncryptedSession, releaseCachedSetup } from '../../../src/subsystems/fhe/session.js';
import { fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';
import { leakWindows } from './wasm-memory.js';

test('many encrypted logistic iterations (with a refresh each) leave touched memory flat, where one leaked ciphertext an iteration shows', async (t) => {
  const rows = Array.from({ length: 100 }, (_, i) => Float64Array.from({ length: 8 }, (_, j) => Math.sin(i * 7 + j) * 0.5));
  const session = await EncryptedSession.start({ polyModulusDegree: 8192, scaleBits: 24, sigmoidDegree: 3, rows, initialWeights: new Float64Array(8) });
  try {
    const sigmoid = fitSigmoid(3, 8);
    const w = await leakWindows({
      params: session.params, warmUp: 3, window: 8,
      step: (i) => void session.step({ sigmoid, bound: 8, gamma: 0.01, eta: i === 0 ? 0 : -0.2 }),
    });
    const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
    t.diagnostic(`touched memory over 8 iterations: ${mb(w.clean)} as is, ${mb(w.leaky)} leaking ${mb(w.leakedBytes)}`);
    // 8 ciphertexts at N = 8192 with 7 primes: ~7 MB. Half of that is the line between flat and leaking.
    assert.ok(w.clean < w.leakedBytes / 2, `touched memory grew by ${mb(w.clean)} over 8 iterations (a leak of one ciphertext each is ${mb(w.leakedBytes)})`);
    assert.ok(w.leaky > w.leakedBytes / 2, `the control leaked ${mb(w.leakedBytes)} but touched memory grew by ${mb(w.leaky)}: the measurement cannot see a leak`);
    assert.equal(session.refreshStats.refreshes, 18, 'a depth-6 iteration on a 6-level chain needs a refresh before every iteration but the first');
  } finally {
    session.delete();
    releaseCachedSetup();
  }
});
