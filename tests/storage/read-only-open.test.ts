import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError } from '../../src/errors.js';
import { openStorage } from '../../src/storage/open.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-read-only-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const isStorageError = (code: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof StorageError, String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, message);
  return true;
};

test('readOnly never creates a store: a missing file is STORE_NOT_FOUND naming the absolute path, and nothing appears', async () => {
  const sub = join(dir, 'missing');
  await assert.rejects(openStorage('sqlite:missing/nested/x.db', { cwd: dir, readOnly: true }), isStorageError('STORE_NOT_FOUND', new RegExp(`no study store at ${join(sub, 'nested/x.db')}`)));
  assert.equal(existsSync(sub), false);
  await assert.rejects(openStorage('sqlite:///tmp/x.db', { cwd: dir, readOnly: true }), isStorageError('STORE_NOT_FOUND', /relative to the working folder.*sqlite:\/\/\/\/tmp\/x\.db/));
  assert.equal(existsSync(join(dir, 'tmp')), false);
});

test('readOnly refuses an empty file and another program\'s database as no study store, and leaves them as they were', async () => {
  const empty = join(dir, 'empty.db');
  writeFileSync(empty, '');
  await assert.rejects(openStorage(`sqlite:${empty}`, { readOnly: true }), isStorageError('STORE_NOT_FOUND', /empty database, not a parzen study store/));
  const foreign = join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec('CREATE TABLE invoices (id INTEGER)');
  db.close();
  await assert.rejects(openStorage(`sqlite:${foreign}`, { readOnly: true }), isStorageError('STORE_NOT_FOUND', /another program \(tables: invoices\)/));
  const check = new Database(foreign, { readonly: true });
  assert.deepEqual(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['invoices']);
  check.close();
});

test('a store opened readOnly reads what was written and refuses every write with STORE_READ_ONLY', async () => {
  const file = join(dir, 'store.db');
  const w = await openStorage(`sqlite:${file}`);
  const st = await w.createStudy({ name: 's', direction: 'minimize' });
  await w.finishTrial((await w.createTrial(st.studyId)).trialId, { state: 'COMPLETE', value: 2 });
  await w.close();
  const r = await openStorage(`sqlite:${file}`, { readOnly: true });
  try {
    assert.equal((await r.listStudies())[0]?.bestValue, 2);
    await assert.rejects(r.createStudy({ name: 't', direction: 'minimize' }), isStorageError('STORE_READ_ONLY', /opened read-only/));
    await assert.rejects(r.renameStudy('s', 't'), isStorageError('STORE_READ_ONLY', /opened read-only/));
    await assert.rejects(r.createTrial(st.studyId), isStorageError('STORE_READ_ONLY', /opened read-only/));
  } finally {
    await r.close();
  }
  const again = await openStorage(`sqlite:${file}`);
  try {
    assert.deepEqual((await again.listStudies()).map((x) => [x.name, x.nTrials]), [['s', 1]], 'nothing was written');
  } finally {
    await again.close();
  }
});
