import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainingError } from '../../../../src/errors.js';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { assertShape } from '../../../../src/ml/layers/shapes.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

const isShapeError = (pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof TrainingError, `expected a TrainingError, got ${String(e)}`);
  assert.equal(e.code, 'SHAPE');
  assert.match(e.message, pattern);
  return true;
};

test('targets with 3 columns instead of 6 are rejected by name before any broadcasting', async () => {
  await wasmRuntime();
  const data = tinyPrepared(4);
  const model = new GatModel(TINY_CONFIG, 1);
  const batch = packBatch(data, [0, 1, 2]);
  const bad = { ...batch, targets: batch.targets.subarray(0, 9) };
  assert.throws(() => model.loss(bad, true), isShapeError(/^targets \[B=3, 6\]: expected 3×6 = 18 values, got 9/));
  model.dispose();
});

test('node features with the wrong column count name the tensor and both shapes', async () => {
  await wasmRuntime();
  const data = tinyPrepared(4);
  const model = new GatModel({ ...TINY_CONFIG, nodeInputDim: 11 }, 1);
  const batch = packBatch(data, [0, 1]);
  assert.throws(() => model.forward(batch, false), isShapeError(new RegExp(`^nodeFeatures \\[N=${batch.nNodes}, 11\\]: expected`)));
  model.dispose();
});

test('circuit statistics of a batch made for another encoding are rejected by name', async () => {
  await wasmRuntime();
  const data = tinyPrepared(4);
  const model = new GatModel({ ...TINY_CONFIG, graphInputDim: 25 }, 1);
  const batch = packBatch(data, [0, 1]);
  assert.throws(() => model.forward(batch, false), isShapeError(/^graphInputs \[B=2, 25\]: expected 2×25 = 50 values, got 350/));
  model.dispose();
});

test('assertShape reports expected and actual shapes and the disagreeing dimension', () => {
  assert.throws(() => assertShape('predictions', [32, 3], [32, 96]), isShapeError(/^predictions: expected shape \[32, 96\], got \[32, 3\] \(dimension 1 is 3, must be 96\)/));
  const bind = new Map<string, number>();
  assertShape('a', [5, 12], ['N', 12], bind);
  assert.throws(() => assertShape('b', [6], ['N'], bind), isShapeError(/^b: expected shape \[N=5\], got \[6\]/));
  assert.throws(() => assertShape('c', [3], [3, 1]), isShapeError(/rank 1 instead of 2/));
});
