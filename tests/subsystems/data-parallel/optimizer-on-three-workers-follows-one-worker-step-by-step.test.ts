import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/ml/backend.js';
import { trainModel } from '../../../src/subsystems/harness.js';
import { optimizerEngine } from '../../../src/subsystems/optimizer/engine.js';
import { parseHyperparams } from '../../../src/subsystems/optimizer/hyperparams.js';
import { subsystemModule } from '../../../src/subsystems/registry.js';
import { tinyDatasets, TINY_PARAMS } from '../optimizer/fixtures.js';

/**
 * The graph network trained on real worker threads, three replicas against one: 22 training circuits in batches
 * of 4 leave a last batch of 2, so one replica's share of it is empty and the others' gradients are weighted by
 * their circuit counts. Dropout 0, so the only difference allowed is float summation order.
 */
test('three train workers give the single worker’s loss at every step, through a short last batch with an empty share', async () => {
  await initBackend('wasm');
  const datasetsDir = await tinyDatasets({ train: 22, val: 8, test: 12 });
  const params = { ...TINY_PARAMS, dropout: 0 };
  const hp = parseHyperparams(params);
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const run = async (count: number): Promise<{ losses: number[]; valLosses: number[]; weights: Float32Array }> => {
    const losses: number[] = [];
    const valLosses: number[] = [];
    const { model } = await trainModel({
      engine: optimizerEngine, hp, data, epochs: 2, batchCap: null, seed: 7, mode: 'full',
      onStep: (s) => void losses.push(s.loss),
      onEpoch: (r) => void valLosses.push(r.valLoss),
      ...(count > 1 ? { replicas: { count, subsystem: 'optimizer', moduleUrl: subsystemModule('optimizer'), params, datasetsDir } } : {}),
    });
    const weights = Float32Array.from(model.variables.flatMap((v) => Array.from(v.dataSync())));
    model.dispose();
    return { losses, valLosses, weights };
  };
  const one = await run(1);
  const three = await run(3);
  assert.equal(one.losses.length, 12, '6 batches per epoch, 2 epochs');
  assert.equal(three.losses.length, one.losses.length);
  for (let i = 0; i < one.losses.length; i++) {
    assert.ok(Math.abs(three.losses[i] - one.losses[i]) <= 1e-4 * Math.max(1, Math.abs(one.losses[i])), `step ${i}: ${three.losses[i]} vs ${one.losses[i]}`);
  }
  for (let e = 0; e < 2; e++) assert.ok(Math.abs(three.valLosses[e] - one.valLosses[e]) <= 1e-4 * Math.max(1, one.valLosses[e]), `epoch ${e} val_loss`);
  const maxDiff = Math.max(...one.weights.map((w, i) => Math.abs(w - three.weights[i])));
  assert.ok(maxDiff < 1e-3, `weights differ from the single worker's by ${maxDiff}`);
});
