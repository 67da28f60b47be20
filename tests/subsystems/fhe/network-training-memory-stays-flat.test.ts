import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialNetwork } from '../../../src/subsystems/fhe/network.js';
import { EncryptedNetworkSession } from '../../../src/subsystems/fhe/network-session.js';
import { releaseCachedSetup } from '../../../src/subsystems/fhe/setup-cache.js';
import { fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';
import { leakWindows } from './wasm-memory.js';

test('many encrypted poly-network iterations (four ciphertexts refreshed each) leave touched memory flat, where one leaked ciphertext an iteration shows', async (t) => {
  // Signed rows z = y·(1, x) of 8 values: one block at N = 16384, and few rotations, so keys are quick.
  const rows = Array.from({ length: 60 }, (_, i) => {
    const y = i % 2 === 0 ? 1 : -1;
    return Float64Array.from({ length: 8 }, (_, j) => y * (j === 0 ? 1 : Math.sin(i * 5 + j) * 0.5));
  });
  const initialParams = initialNetwork({ hidden: 2, inputs: 8 }, 4);
  // A 36-bit scale gives 9 levels, one degree-3 network iteration: a refresh before every iteration but the first.
  const session = await EncryptedNetworkSession.start({ polyModulusDegree: 16384, scaleBits: 36, sigmoidDegree: 3, hidden: 2, rows, initialParams });
  try {
    const sigmoid = fitSigmoid(3, 12);
    const w = await leakWindows({
      params: session.params, warmUp: 3, window: 5,
      step: (i) => void session.step({ sigmoid, bound: 12, gamma: 0.05, eta: i === 0 ? 0 : -0.2 }),
    });
    const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
    t.diagnostic(`touched memory over 5 iterations: ${mb(w.clean)} as is, ${mb(w.leaky)} leaking ${mb(w.leakedBytes)}`);
    // 5 ciphertexts at N = 16384 with 10 primes: ~13 MB. Half of that is the line between flat and leaking.
    assert.ok(w.clean < w.leakedBytes / 2, `touched memory grew by ${mb(w.clean)} over 5 iterations (a leak of one ciphertext each is ${mb(w.leakedBytes)})`);
    assert.ok(w.leaky > w.leakedBytes / 2, `the control leaked ${mb(w.leakedBytes)} but touched memory grew by ${mb(w.leaky)}: the measurement cannot see a leak`);
    assert.equal(session.refreshStats.refreshes, 12);
    assert.equal(session.refreshStats.ciphertextsRefreshed, 48, 'U and v, each with its look-ahead');
  } finally {
    session.delete();
    releaseCachedSetup();
  }
});
