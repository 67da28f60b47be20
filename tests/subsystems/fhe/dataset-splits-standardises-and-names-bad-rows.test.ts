import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../../src/errors.js';
import { parseLabelledCsv } from '../../../src/subsystems/fhe/dataset/csv-table.js';
import { buildDataset, readSplit } from '../../../src/subsystems/fhe/dataset/store.js';
import { splitIndices } from '../../../src/subsystems/fhe/dataset/splits.js';
import fhe from '../../../src/subsystems/fhe/index.js';

test('the shipped breast-cancer data is split by seed, standardised on the training split, with source and licence', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'parzen-fhe-ds-')), 'fhe');
  const m = await buildDataset({ dir, seed: 42 });
  assert.deepEqual(m.rows.train + m.rows.val + m.rows.test, 569);
  assert.equal(m.featureNames.length, 30);
  assert.match(m.licence ?? '', /CC BY 4\.0/);
  const train = readSplit(dir, 'train');
  for (const j of [0, 12, 29]) {
    const col = train.x.map((r) => r[j]);
    const mean = col.reduce((a, v) => a + v, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / col.length);
    assert.ok(Math.abs(mean) < 1e-9 && Math.abs(sd - 1) < 1e-9, `feature ${j}: mean ${mean}, sd ${sd}`);
  }
  const test = readSplit(dir, 'test');
  const testMean = test.x.reduce((a, r) => a + r[0], 0) / test.x.length;
  assert.notEqual(testMean, 0, 'the test split is transformed with training statistics, not its own');
});

test('splits are stratified and depend on the seed only', () => {
  const y = Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  assert.deepEqual(splitIndices(y, 5), splitIndices(y, 5));
  assert.notDeepEqual(splitIndices(y, 5).test, splitIndices(y, 6).test);
  const s = splitIndices(y, 5);
  assert.equal(s.train.length + s.val.length + s.test.length, 200);
  assert.equal(s.test.filter((i) => y[i] === 1).length, Math.round(67 * 0.2));
});

test('bad rows of a user CSV are named by line, with the column and the fix', () => {
  const csv = 'a,b,label\n1,2,yes\n3,x,no\n4,5\n6,7,no\n';
  assert.throws(
    () => parseLabelledCsv(csv, { file: 'my.csv', label: 'label' }),
    (e: unknown) => e instanceof DatasetError && /line 3: column 'b' is "x"/.test(e.message) && /line 4: 2 columns/.test(e.message) && e.message.startsWith('my.csv: 2 problem(s)'),
  );
  assert.throws(() => parseLabelledCsv(csv, { file: 'my.csv', label: 'target' }), (e: unknown) => e instanceof DatasetError && e.message.includes("no column 'target'"));
  const ok = parseLabelledCsv('a,b,label\n1,2,yes\n6,7,no\n', { file: 'ok.csv', label: 'label' });
  assert.deepEqual([...ok.y], [1, 0]);
  assert.equal(ok.positive, 'yes');
});

test('tune datasets prepare fhe --csv FILE --label COLUMN builds from the user file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-fhe-csv-'));
  const file = join(root, 'mine.csv');
  const rows = Array.from({ length: 60 }, (_, i) => `${Math.sin(i)},${Math.cos(i) * 3},${i % 2 === 0 ? 'pos' : 'neg'}`);
  writeFileSync(file, `u,v,cls\n${rows.join('\n')}\n`);
  const r = await fhe.datasets.prepare({ datasetsDir: root, seed: 1, args: { csv: file, label: 'cls' }, log: () => undefined });
  assert.equal(r.generated, true);
  const train = readSplit(r.dir, 'train');
  assert.equal(train.x[0].length, 2);
});
