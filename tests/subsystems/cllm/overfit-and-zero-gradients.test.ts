import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { train } from '../../../src/ml/train-loop.js';
import { GptModel, type TokenBatch } from '../../../src/subsystems/cllm/model/gpt.js';
import { randomTokens, TINY_CONFIG, wasmRuntime } from './fixtures.js';

const T = TINY_CONFIG.blockSize;

function oneBatch(): TokenBatch {
  const stream = randomTokens(4 * T + 1, TINY_CONFIG.vocabSize, 5);
  const tokens = new Int32Array(4 * T);
  const targets = new Int32Array(4 * T);
  for (let b = 0; b < 4; b++) for (let t = 0; t < T; t++) {
    tokens[b * T + t] = stream[b * T + t];
    targets[b * T + t] = stream[b * T + t + 1];
  }
  return { batch: 4, time: T, tokens, targets };
}

test('a tiny model overfits one batch of random tokens to a small loss', async () => {
  await wasmRuntime();
  const model = new GptModel({ ...TINY_CONFIG, nEmbd: 32 }, 1, { diagEvery: 50 });
  const batch = oneBatch();
  const result = await train({
    model, trainBatches: () => [batch], batchesPerEpoch: 1, valLoss: () => tf.tidy(() => model.loss(batch, false).dataSync()[0]),
    epochs: 250, batchCap: null, learningRate: 1e-2, warmupFraction: 0.02, minLrRatio: 0.1, clipNorm: 1,
  });
  const first = result.epochs[0].valLoss;
  const last = result.epochs.at(-1)?.valLoss ?? Number.NaN;
  // Random tokens: no pattern to learn, only memorisation; ln(30) = 3.4 at the start.
  assert.ok(first > 3 && last < 0.3, `loss ${first} → ${last}`);
  model.dispose();
});

test('an attention that ignores its weights (output = 2·input, the reference bug) fails training naming the attention group', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 2, { diagEvery: 10, attention: (x) => tf.mul(x, 2) as tf.Tensor2D });
  const batch = oneBatch();
  await assert.rejects(
    train({ model, trainBatches: () => [batch], batchesPerEpoch: 1, valLoss: () => 0, epochs: 3, batchCap: null, learningRate: 1e-3 }),
    (e: unknown) => e instanceof TrainingError && /'attention' group/.test(e.message) && /exactly zero/.test(e.message),
  );
  model.dispose();
});

test('a healthy model records weight magnitudes once and per-group gradient norms and non-zero counts', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 3, { diagEvery: 1 });
  const batch = oneBatch();
  const diags: Array<Readonly<Record<string, number>>> = [];
  await train({ model, trainBatches: () => [batch, batch], batchesPerEpoch: 2, valLoss: () => 0, epochs: 2, batchCap: null, learningRate: 1e-3, onEpoch: () => void diags.push(model.epochDiagnostics()) });
  for (const g of ['embedding', 'attention', 'mlp', 'layernorm']) {
    assert.ok(diags[0][`grad_norm_${g}`] > 0 && diags[1][`grad_norm_${g}`] > 0, `grad_norm_${g}`);
    assert.ok(diags[0][`grad_nonzero_${g}`] > 0, `grad_nonzero_${g}`);
  }
  assert.ok(Math.abs(diags[0]['weight_rms_attention'] - 0.02) < 0.005, `weight_rms_attention ${diags[0]['weight_rms_attention']}`);
  assert.equal(diags[1]['weight_rms_attention'], undefined);
  model.dispose();
});
