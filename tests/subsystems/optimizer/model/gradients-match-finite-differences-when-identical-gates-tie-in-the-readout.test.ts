import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../../src/ml/backend.js';
import { optimizerEngine } from '../../../../src/subsystems/optimizer/engine.js';
import { parseHyperparams } from '../../../../src/subsystems/optimizer/hyperparams.js';
import { tinyDatasets, TINY_PARAMS } from '../fixtures.js';

/**
 * Regression: the max readout used tf.max, whose gradient gives the whole dy to every node tied for a maximum;
 * identical gates tie exactly, so the layers below the readout got gradients up to 10× off (the existing gather
 * check, on circuits without such ties, did not see it). Here on the generated circuits of a training batch.
 */
test('the graph network’s gradients below the readout match finite differences on circuits with identical gates', async () => {
  const { tf } = await initBackend('wasm');
  const datasetsDir = await tinyDatasets({ train: 22, val: 8, test: 12 });
  const hp = parseHyperparams({ ...TINY_PARAMS, dropout: 0 });
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const model = optimizerEngine.createModel(hp, data, 7);
  const batch = [...optimizerEngine.trainBatches(data, hp, { seed: 7, epoch: 0 })][0];
  for (const name of ['gat0/l0/w_src', 'gat0/l0/b_out', 'gat0/l1/w_out']) {
    const v = model.variables.find((x) => x.name === name);
    assert.ok(v !== undefined, name);
    const { value, grads } = tf.variableGrads(() => model.loss(batch, false), [v]);
    const analytic = grads[v.name].dataSync().slice();
    value.dispose();
    const base = v.dataSync().slice();
    const lossAt = (i: number, delta: number): number => {
      const w = base.slice();
      w[i] += delta;
      v.assign(tf.tensor(w, v.shape));
      return tf.tidy(() => model.loss(batch, false).dataSync()[0]);
    };
    for (const i of [0, 5, 11]) {
      const eps = 1e-3;
      const numeric = (lossAt(i, eps) - lossAt(i, -eps)) / (2 * eps);
      assert.ok(Math.abs(numeric - analytic[i]) <= 5e-4 + 2e-2 * Math.abs(numeric), `${name}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
    }
    v.assign(tf.tensor(base, v.shape));
  }
  model.dispose();
});
