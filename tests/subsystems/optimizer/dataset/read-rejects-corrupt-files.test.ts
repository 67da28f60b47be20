import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DatasetError } from '../../../../src/errors.js';
import { readSplit, writeSplit } from '../../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { rawContents, smallSplit, tempDir, writeRawH5 } from './fixtures.js';

const split = smallSplit(6);

/** Writes the split with `tamper` applied to its raw contents, reads it, and returns the error. */
async function readTampered(t: TestContext, tamper: (c: ReturnType<typeof rawContents>) => void): Promise<{ path: string; error: DatasetError }> {
  const path = join(tempDir(t), 'train.h5');
  const contents = rawContents(split);
  tamper(contents);
  await writeRawH5(path, contents);
  const error = await readSplit(path).then(
    () => assert.fail('readSplit accepted a corrupt file'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
  return { path, error };
}

/** Every message names the file, the dataset (when there is one) and the command that fixes it. */
function assertMessage(error: DatasetError, path: string, ...parts: string[]): void {
  for (const part of [path, 'tune datasets generate optimizer', ...parts]) assert.ok(error.message.includes(part), `"${error.message}" lacks "${part}"`);
}

test('the untampered raw contents read back (the fixture itself is valid)', async (t) => {
  const path = join(tempDir(t), 'train.h5');
  await writeRawH5(path, rawContents(split));
  assert.equal((await readSplit(path)).nCircuits, 6);
});

test('a missing file is a DatasetError naming the file and the fix', async (t) => {
  const path = join(tempDir(t), 'absent.h5');
  await assert.rejects(readSplit(path), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assertMessage(e, path, 'not found');
    return true;
  });
});

test('a file that is not HDF5 is rejected', async (t) => {
  const path = join(tempDir(t), 'train.h5');
  writeFileSync(path, 'node_features,0,1,2\n');
  await assert.rejects(readSplit(path), (e: unknown) => e instanceof DatasetError && e.message.includes('not a readable HDF5 file'));
});

test('a truncated (half-written) file is rejected', async (t) => {
  const path = join(tempDir(t), 'train.h5');
  await writeSplit(path, split, { seed: 5, split: 'train' });
  truncateSync(path, Math.floor(readFileSync(path).length / 2));
  await assert.rejects(readSplit(path), (e: unknown) => e instanceof DatasetError && e.message.includes(path));
});

test('a missing dataset is named', async (t) => {
  const { path, error } = await readTampered(t, (c) => delete c.datasets.edge_features);
  assertMessage(error, path, '`edge_features`', 'missing');
});

test('a float64 node_features dataset is a dtype error', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    c.datasets.node_features = { ...c.datasets.node_features, data: Float64Array.from(split.nodeFeatures), dtype: '<d' };
  });
  assertMessage(error, path, '`node_features`', 'float32');
  assert.equal(error.code, 'SHAPE');
});

test('edge_features with the wrong column count is a shape error', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    const n = split.edgeFeatures.length;
    c.datasets.edge_features = { data: split.edgeFeatures.subarray(0, n - (n % 4)), shape: [Math.floor(n / 4), 4], dtype: '<f' };
  });
  assertMessage(error, path, '`edge_features`', 'shape');
  assert.equal(error.code, 'SHAPE');
});

test('node_offsets that decrease are rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    const offsets = Int32Array.from(split.nodeOffsets);
    [offsets[2], offsets[3]] = [offsets[3], offsets[2]];
    c.datasets.node_offsets = { ...c.datasets.node_offsets, data: offsets };
  });
  assertMessage(error, path, '`node_offsets`', 'not monotone');
});

test('an edge pointing outside its circuit is rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    const index = Int32Array.from(split.edgeIndex);
    index[1] = split.nodeOffsets[1] + 5; // destination of edge 0, past circuit 0's last node
    c.datasets.edge_index = { ...c.datasets.edge_index, data: index };
  });
  assertMessage(error, path, '`edge_index`', 'out of range');
});

test('an edge against the topological order is rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    const index = Int32Array.from(split.edgeIndex);
    [index[0], index[1]] = [index[1], index[0]];
    c.datasets.edge_index = { ...c.datasets.edge_index, data: index };
  });
  assertMessage(error, path, '`edge_index`', 'topological order');
});

test('targets of the wrong length are rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    c.datasets.targets = { data: split.targets.subarray(0, 15), shape: [5, 3], dtype: '<f' };
  });
  assertMessage(error, path, '`node_offsets`');
});

test('a file of another format version is rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    c.attrs.format_version = 99;
  });
  assertMessage(error, path, 'format version 99');
});

test('a file whose feature columns differ is rejected', async (t) => {
  const { path, error } = await readTampered(t, (c) => {
    c.attrs.node_feature_names = [...(c.attrs.node_feature_names as string[])].reverse();
  });
  assertMessage(error, path, '`node_feature_names`');
});

test('writeSplit refuses an invalid in-memory split and writes nothing', async (t) => {
  const dir = tempDir(t);
  const bad = { ...split, edgeOffsets: Int32Array.from(split.edgeOffsets).reverse() };
  await assert.rejects(writeSplit(join(dir, 'train.h5'), bad, { seed: 5, split: 'train' }), (e: unknown) => e instanceof DatasetError && e.message.includes('`edge_offsets`'));
  await assert.rejects(readSplit(join(dir, 'train.h5')), (e: unknown) => e instanceof DatasetError && e.message.includes('not found'));
});
