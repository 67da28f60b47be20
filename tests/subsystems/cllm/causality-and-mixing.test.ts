import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { causalSelfAttention } from '../../../src/subsystems/cllm/model/attention.js';
import { GptModel } from '../../../src/subsystems/cllm/model/gpt.js';
import { Rng } from '../../../src/util/rng.js';
import { randomTokens, TINY_CONFIG, wasmRuntime } from './fixtures.js';

const T = TINY_CONFIG.blockSize;

function logitsOf(model: GptModel, tokens: Int32Array): Float32Array {
  return tf.tidy(() => model.logits(tokens, { batch: 2, time: T }, false).dataSync() as Float32Array);
}

/** Rows [from, to) of sequence 0 of a [2·T, V] logits array. */
const rows = (l: Float32Array, from: number, to: number): Float32Array => l.slice(from * TINY_CONFIG.vocabSize, to * TINY_CONFIG.vocabSize);

test('changing a later token leaves every earlier logit unchanged, bit for bit', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 3);
  const tokens = randomTokens(2 * T, TINY_CONFIG.vocabSize, 1);
  const before = logitsOf(model, tokens);
  for (const pos of [1, 7, T - 1]) {
    const changed = tokens.slice();
    changed[pos] = (changed[pos] + 5) % TINY_CONFIG.vocabSize;
    const after = logitsOf(model, changed);
    assert.deepEqual(rows(after, 0, pos), rows(before, 0, pos), `a change at ${pos} reached an earlier position`);
    assert.notDeepEqual(rows(after, pos, pos + 1), rows(before, pos, pos + 1));
    // The other sequence of the batch is untouched too.
    assert.deepEqual(after.slice(T * TINY_CONFIG.vocabSize), before.slice(T * TINY_CONFIG.vocabSize));
  }
  model.dispose();
});

test('changing an earlier token changes the logits of every later position', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 4);
  const tokens = randomTokens(2 * T, TINY_CONFIG.vocabSize, 2);
  const before = logitsOf(model, tokens);
  const changed = tokens.slice();
  changed[2] = (changed[2] + 3) % TINY_CONFIG.vocabSize;
  const after = logitsOf(model, changed);
  for (let t = 3; t < T; t++) assert.notDeepEqual(rows(after, t, t + 1), rows(before, t, t + 1), `position ${t} ignored the token at 2`);
  model.dispose();
});

test('the attention output at a position is not a function of that position alone', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 5);
  const C = TINY_CONFIG.nEmbd;
  const rng = new Rng(9);
  const x = Float32Array.from({ length: T * C }, () => rng.normal());
  const y = x.slice();
  for (let i = 0; i < 4 * C; i++) y[i] = rng.normal(); // rows 0..3 differ, rows 4.. are the same
  const attend = (v: Float32Array): Float32Array =>
    tf.tidy(() => causalSelfAttention(tf.tensor2d(v, [T, C]), model.params.blocks[0], { batch: 1, time: T, nHead: 2, dropout: 0, training: false, rng }).dataSync() as Float32Array);
  const a = attend(x);
  const b = attend(y);
  for (let t = 4; t < T; t++) {
    const diff = Math.max(...Array.from({ length: C }, (_, j) => Math.abs(a[t * C + j] - b[t * C + j])));
    assert.ok(diff > 1e-4, `attention output at ${t} is the same although its context changed (max diff ${diff})`);
  }
  model.dispose();
});
