import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetError } from '../../../../src/errors.js';
import { computeNormalisation, denormaliseLabels, normaliseLabels } from '../../../../src/subsystems/optimizer/dataset/normalisation.js';
import { smallSplit } from './fixtures.js';

const split = smallSplit(150, 21);
const norm = computeNormalisation(split);

function columnMoments(values: Float32Array, cols: number, c: number): { mean: number; std: number } {
  const xs = Array.from({ length: values.length / cols }, (_, r) => values[r * cols + c]);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

test('normalised training labels have mean 0 and standard deviation 1 per column', () => {
  for (const [values, norms] of [[split.targets, norm.targets], [split.metrics, norm.metrics]] as const) {
    const z = normaliseLabels(values, norms);
    for (let c = 0; c < 3; c++) {
      const { mean, std } = columnMoments(z, 3, c);
      assert.ok(Math.abs(mean) < 1e-4, `${norms[c].name}: mean ${mean}`);
      // A column that happens to be constant normalises to all zeros instead.
      assert.ok(Math.abs(std - 1) < 1e-3 || (norms[c].std === 1e-6 && std === 0), `${norms[c].name}: std ${std}`);
    }
  }
});

test('n and proof size are normalised on a log2 scale, the other columns linearly', () => {
  assert.deepEqual(norm.targets.map((c) => c.transform), ['log2', 'identity', 'identity']);
  assert.deepEqual(norm.metrics.map((c) => c.transform), ['identity', 'identity', 'log2']);
  // log2 of a power of two ring dimension: the mean lies between 10 (n = 1024) and 17 (n = 2^17).
  assert.ok(norm.targets[0].mean >= 10 && norm.targets[0].mean <= 17, `mean log2 n ${norm.targets[0].mean}`);
});

test('denormalising undoes normalising', () => {
  const back = denormaliseLabels(normaliseLabels(split.metrics, norm.metrics), norm.metrics);
  for (let i = 0; i < back.length; i++) {
    assert.ok(Math.abs(back[i] - split.metrics[i]) <= 1e-4 * Math.abs(split.metrics[i]), `metric ${i}: ${back[i]} vs ${split.metrics[i]}`);
  }
});

test('a non-positive value in a log2 column is a DatasetError naming the label', () => {
  const bad = { ...split, targets: Float32Array.from(split.targets) };
  bad.targets[3] = 0;
  assert.throws(() => computeNormalisation(bad), (e: unknown) => e instanceof DatasetError && e.message.includes('`n`') && e.message.includes('circuit 1'));
});
