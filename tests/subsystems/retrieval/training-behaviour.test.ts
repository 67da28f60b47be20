/**
 * The reference project's training bugs as tests: the learning rate must change at every step (warmup + cosine, not
 * a scheduler built and never stepped), `mixed_precision` must be refused rather than ignored, `freeze_base` must
 * leave the encoder's weights untouched while the head learns, and every loss term is stored per step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { trainModel } from '../../../src/subsystems/harness.js';
import { retrievalEngine } from '../../../src/subsystems/retrieval/engine.js';
import { parseHyperparams } from '../../../src/subsystems/retrieval/hyperparams.js';
import retrieval from '../../../src/subsystems/retrieval/index.js';
import { STEP_SERIES } from '../../../src/subsystems/retrieval/model/retriever.js';
import { recorder } from '../recorder.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

test('the learning rate changes at every optimizer step: linear warmup, then cosine decay', async () => {
  await initBackend('wasm');
  const root = await tinyDatasets(4);
  const lrsOf = async (warmup: number): Promise<number[]> => {
    const hp = parseHyperparams({ ...TINY_PARAMS, warmup });
    const data = await retrievalEngine.loadData(root, hp);
    const lrs: number[] = [];
    const { model } = await trainModel({ engine: retrievalEngine, hp, data, epochs: 2, batchCap: 4, seed: 1, mode: 'tune', onStep: (s) => lrs.push(s.lr) });
    model.dispose();
    return lrs;
  };
  const cosine = await lrsOf(0);
  assert.equal(cosine.length, 8);
  assert.equal(cosine[0], TINY_PARAMS.projection_learning_rate, 'the peak is projection_learning_rate');
  for (let i = 1; i < 8; i++) assert.ok(cosine[i] < cosine[i - 1], `lr did not fall between steps ${i - 1} and ${i}: ${cosine.join(', ')}`);
  const warm = await lrsOf(0.5);
  for (let i = 1; i < 4; i++) assert.ok(warm[i] > warm[i - 1], `warmup did not rise between steps ${i - 1} and ${i}: ${warm.join(', ')}`);
  assert.ok(warm[7] < warm[4], 'cosine decays after warmup');
});

test('mixed_precision: true is a ConfigError naming the key and the backend, never a silent no-op', () => {
  assert.throws(() => parseHyperparams({ ...TINY_PARAMS, mixed_precision: true, backend: 'wasm' }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('mixed_precision:') && e.message.includes('wasm'));
  assert.throws(() => retrieval.validateConfig?.({ mixed_precision: true }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('mixed_precision:'));
  assert.throws(() => parseHyperparams({ ...TINY_PARAMS, mixed_precision: 'yes' }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('mixed_precision:'));
});

test('freeze_base trains the head alone: the encoder keeps its weights, the head moves', async () => {
  await initBackend('wasm');
  const root = await tinyDatasets(4);
  const hp = parseHyperparams({ ...TINY_PARAMS, freeze_base: true });
  const data = await retrievalEngine.loadData(root, hp);
  const before = retrievalEngine.createModel(hp, data, 9);
  const snap = (vs: readonly { dataSync(): ArrayLike<number> }[]): number[][] => vs.map((v) => Array.from(v.dataSync()));
  const base0 = snap(before.params.base);
  const head0 = snap(before.params.head);
  before.dispose();
  const { model } = await trainModel({ engine: retrievalEngine, hp, data, epochs: 1, batchCap: 3, seed: 9, mode: 'tune' });
  assert.deepEqual(snap(model.params.base), base0, 'a frozen base weight changed');
  assert.notDeepEqual(snap(model.params.head), head0, 'the head did not train');
  model.dispose();
});

test('a trial stores each loss term, the distances and the embedding std per step, and val MRR@10 per epoch', async () => {
  const root = await tinyDatasets(4);
  const r = recorder(root, { budget: { epochs: 2, batchCap: 3 } });
  const value = await retrieval.objective(TINY_PARAMS, r.ctx);
  const steps = r.metrics.filter(([, v]) => !Object.hasOwn(v, 'val_loss'));
  assert.deepEqual(steps.map(([s]) => s), [1, 2, 3, 4, 5, 6]);
  for (const [, v] of steps) {
    assert.deepEqual(Object.keys(v).sort(), [...STEP_SERIES].sort());
    for (const x of Object.values(v)) assert.ok(Number.isFinite(x));
    assert.ok(Math.abs(v['step_loss_total'] - (v['step_loss_contrastive'] + 0.3 * v['step_loss_isotropy'] + 1e-4 * v['step_loss_reg'])) < 1e-3);
  }
  const epochs = r.metrics.filter(([, v]) => Object.hasOwn(v, 'val_loss'));
  assert.equal(epochs.length, 2);
  const mrr = epochs.map(([, v]) => v['val_mrr_at_10']);
  assert.ok(mrr.every((m) => m >= 0 && m <= 1));
  assert.equal(value, Math.max(...mrr), 'the objective returns the best epoch\'s validation MRR@10 (maximised)');
  assert.deepEqual(r.reports.map(([, v]) => v), mrr, 'the pruner sees validation MRR@10');
});
