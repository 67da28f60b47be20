import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFheData, trainEncrypted } from '../../../src/subsystems/fhe/engine.js';
import { parseFheHyperparams } from '../../../src/subsystems/fhe/hyperparams.js';
import { initialNetwork, networkOutput, plainNetworkIteration } from '../../../src/subsystems/fhe/network.js';
import { signedRows } from '../../../src/subsystems/fhe/nesterov.js';
import { releaseCachedSetup } from '../../../src/subsystems/fhe/setup-cache.js';
import { evalPolynomial, fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';
import { tinyDatasets } from './fixtures.js';

test('the float64 network step is gradient ascent on Σ log σ(y·o): each parameter moves by γ Σ σ_p(−y·o) ∂(y·o)/∂θ (finite differences)', async () => {
  const data = loadFheData(await tinyDatasets(), 0.3);
  const z = signedRows(data.train.x.slice(0, 20), data.train.y.slice(0, 20));
  const shape = { hidden: 2, inputs: z[0].length };
  const p = initialNetwork(shape, 5);
  const sigmoid = fitSigmoid(3, 12);
  const gamma = 0.01;
  const next = plainNetworkIteration(shape, z, { w: p, v: p }, { sigmoid, gamma, eta: 0 });
  const yo = (q: Float64Array): number[] => z.map((row) => row[0] * networkOutput(shape, q, row.slice(1).map((v) => v * row[0])));
  const coef = yo(p).map((u) => evalPolynomial(sigmoid, -u));
  const h = 1e-6;
  for (const j of [0, 1, 7, shape.inputs + 3, p.length - 2, p.length - 1]) {
    const up = Float64Array.from(p);
    const down = Float64Array.from(p);
    up[j] += h;
    down[j] -= h;
    const du = yo(up);
    const dd = yo(down);
    const expected = p[j] + gamma * coef.reduce((a, c, i) => a + (c * (du[i] - dd[i])) / (2 * h), 0);
    assert.ok(Math.abs(next.w[j] - expected) < 1e-7, `parameter ${j}: ${next.w[j]} vs ${expected}`);
  }
  assert.notDeepEqual(Array.from(next.w), Array.from(p));
});

test('the encrypted poly-network (N = 16384, 36-bit scale, 9 levels a step) tracks its float64 twin within 1e-3 and learns', async () => {
  const data = loadFheData(await tinyDatasets(), 0.3);
  const hp = parseFheHyperparams({
    model: 'poly-network', hidden_width: 2, learning_rate: 1.2, lr_schedule: 'decay', iterations: 3, sigmoid_degree: 3, sigmoid_bound: 12,
    feature_scale: 0.3, poly_modulus_degree: 16384, scale_bits: 36,
  });
  const levels: number[] = [];
  try {
    const s = await trainEncrypted({
      data, hp, epochs: 1, iterationsPerEpoch: 3, signal: new AbortController().signal, seed: 2,
      onIteration: (p) => levels.push(p.health.level),
      onEpoch: () => undefined,
    });
    assert.deepEqual(levels, [9, 9, 9], 'depth 9 per iteration on a 9-level chain: each iteration starts fresh');
    assert.equal(s.levelsPerIteration, 9);
    assert.equal(s.blocks, 1, '117 rows in segments of 2 × 32 slots: one block of 128');
    assert.deepEqual([s.refresh.refreshes, s.refresh.ciphertextsRefreshed], [2, 8], 'U and v, each with its look-ahead, refreshed before iterations 2 and 3');
    const e = s.epochs[0];
    assert.equal(e.w.length, 2 * 31 + 2);
    assert.ok(e.maxAbsWeightDiff < 1e-3, `max |θ_enc − θ_plain| = ${e.maxAbsWeightDiff}`);
    assert.ok(Math.abs(e.val.logLoss - e.plainVal.logLoss) < 1e-3);
    const start = initialNetwork({ hidden: 2, inputs: 31 }, 2);
    assert.ok(Math.max(...Array.from(e.w, (v, j) => Math.abs(v - start[j]))) > 0.05, 'the parameters moved');
    const positives = data.val.y.reduce((a, v) => a + v, 0) / data.val.y.length;
    assert.ok(e.val.accuracy > Math.max(positives, 1 - positives) + 0.2, `validation accuracy ${e.val.accuracy} does not beat the majority class`);
    assert.ok(e.val.logLoss < 0.45, `validation log loss ${e.val.logLoss} (0.69 at the start)`);
  } finally {
    releaseCachedSetup();
  }
});
