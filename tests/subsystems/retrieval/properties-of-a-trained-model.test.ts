/**
 * Property tests that run (the reference's could only pass "with a real trained model" and so never did): a small
 * retriever trained inside the test, in seconds, on real Moby Dick passages.
 * - On held-out queries, a query is closer to its own positive than to the other queries' positives, by more than
 *   the untrained encoder manages.
 * - With the isotropy term on, the per-dimension std of the raw embeddings moves toward 1, compared with the term off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/ml/backend.js';
import { trainModel } from '../../../src/subsystems/harness.js';
import { retrievalEngine } from '../../../src/subsystems/retrieval/engine.js';
import { parseHyperparams, type RetrievalHyperparams } from '../../../src/subsystems/retrieval/hyperparams.js';
import { padBatch } from '../../../src/subsystems/retrieval/model/batch.js';
import { encodeRaw } from '../../../src/subsystems/retrieval/model/encoder.js';
import type { DenseRetriever } from '../../../src/subsystems/retrieval/model/retriever.js';
import type { RetrieverData } from '../../../src/subsystems/retrieval/train.js';
import { Rng } from '../../../src/util/rng.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

const PARAMS = { ...TINY_PARAMS, embed_dim: 32, output_dim: 32, encoder_layers: 0, batch_size: 16, dropout: 0.1, projection_learning_rate: 5e-3, base_learning_rate: 5e-3, warmup: 0 };

async function trained(hp: RetrievalHyperparams, data: RetrieverData, epochs: number): Promise<DenseRetriever> {
  return (await trainModel({ engine: retrievalEngine, hp, data, epochs, batchCap: null, seed: 4, mode: 'tune' })).model;
}

/** Mean cosine of held-out queries to their own positive minus the mean to the other queries' positives. */
function margin(model: DenseRetriever, data: RetrieverData): number {
  const s = data.splits.val;
  return tf.tidy(() => {
    const q = model.embed(padBatch(s.queries as Int32Array[]));
    const p = model.embed(padBatch(s.positives as Int32Array[]));
    const sim = tf.matMul(q, tf.transpose(p));
    const n = s.queries.length;
    const diag = tf.sum(tf.mul(sim, tf.eye(n))).dataSync()[0] / n;
    const off = (tf.sum(sim).dataSync()[0] - diag * n) / (n * (n - 1));
    return diag - off;
  });
}

/** Mean per-dimension std of the raw (pre-normalisation) embeddings of the corpus. */
function rawStd(model: DenseRetriever, data: RetrieverData): number {
  return tf.tidy(() => {
    const z = encodeRaw(model.params, model.config, padBatch(data.corpusTokens.slice(0, 400) as Int32Array[]), { training: false, rng: new Rng(0) });
    return tf.mean(tf.sqrt(tf.moments(z, 0).variance)).dataSync()[0];
  });
}

test('held-out positives are closer to their queries than other passages are, more so than untrained', async () => {
  await initBackend('wasm');
  const root = await tinyDatasets(16);
  const hp = parseHyperparams(PARAMS);
  const data = await retrievalEngine.loadData(root, hp);
  const untrained = retrievalEngine.createModel(hp, data, 4);
  const before = margin(untrained, data);
  untrained.dispose();
  const model = await trained(hp, data, 3);
  const after = margin(model, data);
  model.dispose();
  assert.ok(after > 0, `trained margin ${after} ≤ 0`);
  assert.ok(after > before, `trained margin ${after} not above untrained ${before}`);
});

test('with the isotropy term on, the per-dimension std moves toward 1 compared with the term off', async () => {
  await initBackend('wasm');
  const root = await tinyDatasets(8);
  const off = parseHyperparams({ ...PARAMS, isotropy_weight: 0 });
  const on = parseHyperparams({ ...PARAMS, isotropy_weight: 1 });
  const data = await retrievalEngine.loadData(root, on);
  const mOff = await trained(off, data, 2);
  const mOn = await trained(on, data, 2);
  const [stdOff, stdOn] = [rawStd(mOff, data), rawStd(mOn, data)];
  mOff.dispose();
  mOn.dispose();
  assert.ok(Math.abs(stdOn - 1) < Math.abs(stdOff - 1), `isotropy on: std ${stdOn}; off: ${stdOff}`);
});
