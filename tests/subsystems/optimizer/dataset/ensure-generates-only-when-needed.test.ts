import assert from 'node:assert/strict';
import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../../src/errors.js';
import { ensureDatasets, generateDatasets } from '../../../../src/subsystems/optimizer/dataset/generate.js';
import { readSplit } from '../../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { tempDir } from './fixtures.js';

const small = { train: 8, val: 3, test: 3, seed: 11 };

test('an empty folder gets all three splits', async (t) => {
  const dir = tempDir(t);
  const result = await ensureDatasets(dir, small);
  assert.equal(result.generated, true);
  assert.match(result.reason ?? '', /train\.h5 is missing/);
  assert.equal((await readSplit(join(dir, 'train.h5'))).nCircuits, 8);
});

test('valid splits are kept as they are, whatever their size', async (t) => {
  const dir = tempDir(t);
  await generateDatasets({ dir, train: 5, val: 2, test: 2, seed: 4 });
  const before = statSync(join(dir, 'train.h5')).mtimeMs;
  const result = await ensureDatasets(dir, small);
  assert.deepEqual(result, { generated: false, reason: null, manifest: null });
  assert.equal(statSync(join(dir, 'train.h5')).mtimeMs, before);
  assert.equal((await readSplit(join(dir, 'train.h5'))).nCircuits, 5);
});

test('a missing or corrupt split makes it regenerate, saying why', async (t) => {
  const dir = tempDir(t);
  await generateDatasets({ dir, ...small });
  unlinkSync(join(dir, 'test.h5'));
  assert.match((await ensureDatasets(dir, small)).reason ?? '', /test\.h5 is missing/);
  writeFileSync(join(dir, 'val.h5'), 'garbage');
  const result = await ensureDatasets(dir, small);
  assert.equal(result.generated, true);
  assert.match(result.reason ?? '', /val\.h5: not a readable HDF5 file/);
  assert.equal((await readSplit(join(dir, 'val.h5'))).nCircuits, 3);
});

test('bad split sizes are usage errors naming the option', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(generateDatasets({ dir, train: 0 }), (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && e.message.includes('`train`'));
  await assert.rejects(generateDatasets({ dir, val: 2.5 }), (e: unknown) => e instanceof ConfigError && e.message.includes('`val`'));
});
