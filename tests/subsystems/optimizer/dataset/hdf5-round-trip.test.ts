import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSplit } from '../../../../src/subsystems/optimizer/dataset/build-split.js';
import { generateDatasets, type DatasetManifest } from '../../../../src/subsystems/optimizer/dataset/generate.js';
import { FORMAT_VERSION, readSplit, writeSplit } from '../../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { createLabeller } from '../../../../src/subsystems/optimizer/dataset/labels.js';
import { NODE_FEATURES } from '../../../../src/subsystems/optimizer/dataset/features.js';
import { smallSplit, tempDir } from './fixtures.js';

test('a generated split reads back bit for bit with its attributes', async (t) => {
  const dir = tempDir(t);
  const split = smallSplit(15, 9, 'val');
  const path = join(dir, 'nested', 'val.h5');
  await writeSplit(path, split, { seed: 9, split: 'val' });
  const back = await readSplit(path);
  assert.equal(back.nCircuits, 15);
  assert.deepEqual(back.nodeFeatures, split.nodeFeatures);
  assert.deepEqual(back.nodeOffsets, split.nodeOffsets);
  assert.deepEqual(back.edgeIndex, split.edgeIndex);
  assert.deepEqual(back.edgeFeatures, split.edgeFeatures);
  assert.deepEqual(back.edgeOffsets, split.edgeOffsets);
  assert.deepEqual(back.targets, split.targets);
  assert.deepEqual(back.metrics, split.metrics);
  assert.equal(back.attrs.formatVersion, FORMAT_VERSION);
  assert.equal(back.attrs.seed, 9);
  assert.equal(back.attrs.split, 'val');
  assert.deepEqual(back.attrs.nodeFeatureNames, [...NODE_FEATURES]);
  assert.match(back.attrs.parzenVersion, /^parzen@/);
});

test('generateDatasets writes three splits, the manifest, and no temporary files', async (t) => {
  const dir = tempDir(t);
  const progress: string[] = [];
  await generateDatasets({ dir, train: 12, val: 5, test: 4, seed: 3, onProgress: (p) => progress.push(`${p.split}:${p.done}/${p.total}`) });
  assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'test.h5', 'train.h5', 'val.h5']);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  assert.equal(manifest.seed, 3);
  assert.deepEqual([manifest.splits.train.nCircuits, manifest.splits.val.nCircuits, manifest.splits.test.nCircuits], [12, 5, 4]);
  assert.deepEqual(progress, ['train:12/12', 'val:5/5', 'test:4/4']);
  const val = await readSplit(join(dir, 'val.h5'));
  assert.equal(manifest.splits.val.nNodes, val.nodeOffsets[5]);
  // The file holds exactly what buildSplit makes in memory for that seed and split: labels included.
  const expected = buildSplit({ nCircuits: 5, seed: 3, split: 'val', labeller: createLabeller() });
  assert.deepEqual(val.targets, expected.targets);
  assert.deepEqual(val.metrics, expected.metrics);
  assert.deepEqual(val.edgeIndex, expected.edgeIndex);
});

test('the three splits hold different circuits', async (t) => {
  const dir = tempDir(t);
  await generateDatasets({ dir, train: 6, val: 6, test: 6, seed: 1 });
  const [a, b, c] = await Promise.all(['train', 'val', 'test'].map((s) => readSplit(join(dir, `${s}.h5`))));
  assert.notDeepEqual(a.nodeOffsets, b.nodeOffsets);
  assert.notDeepEqual(b.nodeOffsets, c.nodeOffsets);
});

test('labels are real parameter-search results: n a power of two and security at least 128 bits', () => {
  const split = smallSplit(20);
  for (let i = 0; i < 20; i++) {
    const n = split.targets[i * 3];
    assert.equal(Math.log2(n) % 1, 0, `n = ${n}`);
    assert.ok(split.targets[i * 3 + 1] > 0, 'log2 q');
    assert.ok(split.metrics[i * 3] >= 128, `bit security ${split.metrics[i * 3]}`);
    assert.ok(split.metrics[i * 3 + 2] > 0, 'proof size');
  }
});
