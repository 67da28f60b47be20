import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFheData } from '../../../src/subsystems/fhe/engine.js';
import { scoreBinary } from '../../../src/subsystems/fhe/metrics.js';
import { momentumWeights, plainIteration, signedRows, stepSize, type NesterovState } from '../../../src/subsystems/fhe/nesterov.js';
import { EncryptedSession, releaseCachedSetup } from '../../../src/subsystems/fhe/session.js';
import { fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';
import { tinyDatasets } from './fixtures.js';

test('encrypted Nesterov iterations at N = 16384 (50-bit scale, 6 levels) track the float64 run from the same start within 1e-3 and learn', async () => {
  const data = loadFheData(await tinyDatasets(), 0.3);
  const n = 200; // one ciphertext block of 256 rows
  const rows = signedRows(data.train.x.slice(0, n), data.train.y.slice(0, n));
  const d = rows[0].length;
  const sigmoid = fitSigmoid(3, 12);
  const eta = momentumWeights(3);
  const session = await EncryptedSession.start({ polyModulusDegree: 16384, scaleBits: 50, sigmoidDegree: 3, rows, initialWeights: new Float64Array(d) });
  try {
    assert.equal(session.blocks, 1);
    let plain: NesterovState = { w: new Float64Array(d), v: new Float64Array(d) };
    for (let t = 0; t < 3; t++) {
      const gamma = stepSize(1.5, 'decay', t, rows.length);
      const health = session.step({ sigmoid, bound: 12, gamma, eta: eta[t] });
      assert.equal(health.level, 6, 'depth 6 per iteration on the 6-level chain of a 50-bit scale: each iteration starts fresh');
      plain = plainIteration(rows, plain, { sigmoid, gamma, eta: eta[t] });
    }
    const w = session.decrypt();
    const diff = Math.max(...Array.from(w, (v, j) => Math.abs(v - plain.w[j])));
    assert.ok(diff < 1e-3, `max |w_enc − w_plain| = ${diff}`);
    assert.ok(Math.max(...Array.from(w, Math.abs)) > 0.05, 'the weights moved');
    const positives = data.val.y.reduce((a, v) => a + v, 0) / data.val.y.length;
    const acc = scoreBinary(w, data.val.x, data.val.y).accuracy;
    assert.ok(acc > Math.max(positives, 1 - positives) + 0.1, `validation accuracy ${acc} does not beat the majority class`);
    assert.equal(session.refreshStats.refreshes, 2);
    assert.ok(session.refreshStats.bytesToOwner > 0 && session.refreshStats.bytesToServer > session.refreshStats.bytesToOwner);
  } finally {
    session.delete();
    releaseCachedSetup();
  }
});
