import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GptModel } from '../../../src/subsystems/cllm/model/gpt.js';
import { generateTokens, sampleToken } from '../../../src/subsystems/cllm/sample.js';
import { Rng } from '../../../src/util/rng.js';
import { TINY_CONFIG, wasmRuntime } from './fixtures.js';

test('generation is seeded: the same seed repeats the text, another seed changes it; past block_size it keeps going', async () => {
  await wasmRuntime();
  const model = new GptModel(TINY_CONFIG, 8);
  const o = { tokens: TINY_CONFIG.blockSize + 8, temperature: 1, topK: null, seed: 5 };
  const a = generateTokens(model, [1, 2, 3], o);
  assert.equal(a.length, o.tokens);
  assert.deepEqual(generateTokens(model, [1, 2, 3], o), a);
  assert.notDeepEqual(generateTokens(model, [1, 2, 3], { ...o, seed: 6 }), a);
  model.dispose();
});

test('top-k 1 and temperature 0 both take the most likely token; top-k never picks outside the k best', () => {
  const logits = Float32Array.from([0.1, 2, -1, 1.5, 0.3]);
  const rng = new Rng(1);
  assert.equal(sampleToken(logits, { temperature: 0, topK: null }, rng), 1);
  for (let i = 0; i < 50; i++) {
    assert.equal(sampleToken(logits, { temperature: 1, topK: 1 }, rng), 1);
    assert.ok([1, 3].includes(sampleToken(logits, { temperature: 5, topK: 2 }, rng)));
  }
});
