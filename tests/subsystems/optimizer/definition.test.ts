import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpace } from '../../../src/space/distributions.js';
import optimizerSubsystem from '../../../src/subsystems/optimizer/index.js';
import { parseHyperparams } from '../../../src/subsystems/optimizer/hyperparams.js';

test('the optimizer subsystem declares its space, metric and budgets', () => {
  const s = optimizerSubsystem;
  assert.equal(s.name, 'optimizer');
  assert.equal(s.metric, 'val_loss');
  assert.equal(s.direction, 'minimize');
  validateSpace('optimizer.defaultSpace', s.defaultSpace);
  assert.deepEqual(s.defaultSpace['hidden_dim'], { kind: 'categorical', choices: [128, 256, 384] });
  assert.deepEqual(s.defaultSpace['num_layers'], { kind: 'int', low: 3, high: 8, log: false, step: 1 });
  assert.deepEqual(s.defaultSpace['num_heads'], { kind: 'categorical', choices: [4, 8] });
  assert.deepEqual(s.defaultSpace['dropout'], { kind: 'float', low: 0.05, high: 0.3, log: false, step: null });
  assert.deepEqual(s.defaultSpace['learning_rate'], { kind: 'float', low: 1e-5, high: 5e-4, log: true, step: null });
  assert.deepEqual(s.defaults.tuning, { epochs: 2, batchCap: 50 });
  assert.equal(s.defaults.full.epochs, 20);
});

test('every point of the default space parses into valid hyperparameters over the full defaults', () => {
  for (const hidden_dim of [128, 256, 384]) {
    for (const num_heads of [4, 8]) {
      const hp = parseHyperparams({ ...optimizerSubsystem.defaults.full, hidden_dim, num_heads, num_layers: 8, dropout: 0.3, learning_rate: 1e-5 });
      assert.equal(hp.hiddenDim % hp.numHeads, 0);
    }
  }
});
