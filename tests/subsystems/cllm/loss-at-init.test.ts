import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { GptModel } from '../../../src/subsystems/cllm/model/gpt.js';
import { randomTokens, wasmRuntime } from './fixtures.js';

test('the loss at initialisation is ln(V) within 0.1 (std-0.02 weights predict nearly uniformly)', async () => {
  await wasmRuntime();
  for (const vocabSize of [30, 89]) {
    const config = { vocabSize, blockSize: 32, nLayer: 2, nHead: 4, nEmbd: 64, dropout: 0.1 };
    const model = new GptModel(config, 11);
    const n = 4 * config.blockSize;
    const batch = { batch: 4, time: config.blockSize, tokens: randomTokens(n, vocabSize, 1), targets: randomTokens(n, vocabSize, 2) };
    const loss = tf.tidy(() => model.loss(batch, false).dataSync()[0]);
    assert.ok(Math.abs(loss - Math.log(vocabSize)) < 0.1, `loss ${loss} vs ln(${vocabSize}) = ${Math.log(vocabSize)}`);
    model.dispose();
  }
});
