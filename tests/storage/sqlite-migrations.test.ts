import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { StorageError } from '../../src/errors.js';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/storage/sqlite/migrations.js';
import { schema } from '../../src/storage/sqlite/schema.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

function tempDb(): { file: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-migrate-'));
  return { file: join(dir, 'm.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the migrated database has exactly the tables and columns the drizzle schema declares', () => {
  const { file, done } = tempDb();
  const db = new Database(file);
  try {
    migrate(db, file);
    for (const table of Object.values(schema)) {
      const { name, columns } = getTableConfig(table);
      const actual = (db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name).sort();
      assert.deepEqual(actual, columns.map((c) => c.name).sort(), `columns of ${name}`);
    }
  } finally {
    db.close();
    done();
  }
});

test('migrations are applied once, in order, recorded in parzen_migrations and user_version', () => {
  const { file, done } = tempDb();
  const db = new Database(file);
  try {
    assert.deepEqual(migrate(db, file), MIGRATIONS.map((m) => m.version));
    assert.deepEqual(migrate(db, file), []);
    const later = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'add trials.note', sql: 'ALTER TABLE trials ADD COLUMN note TEXT' }];
    assert.deepEqual(migrate(db, file, later), [LATEST_VERSION + 1]);
    assert.ok((db.pragma('table_info(trials)') as { name: string }[]).some((c) => c.name === 'note'));
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION + 1);
    const rows = db.prepare('SELECT version, name FROM parzen_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(rows.map((r) => r.version), later.map((m) => m.version));
  } finally {
    db.close();
    done();
  }
});

test('a migration that fails leaves the database at its previous version', () => {
  const { file, done } = tempDb();
  const db = new Database(file);
  try {
    migrate(db, file);
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE extra (a); ALTER TABLE nope ADD COLUMN b' }];
    assert.throws(() => migrate(db, file, broken), /nope/);
    assert.equal(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'").pluck().get(), 0);
    assert.equal(db.prepare('SELECT MAX(version) FROM parzen_migrations').pluck().get(), LATEST_VERSION);
  } finally {
    db.close();
    done();
  }
});

test('a store written by a newer parzen is refused with a StorageError saying to upgrade', async () => {
  const { file, done } = tempDb();
  try {
    const db = new Database(file);
    migrate(db, file, [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'future', sql: 'SELECT 1' }]);
    db.close();
    await assert.rejects(SqliteStorage.open(file), (e: unknown) => e instanceof StorageError && /upgrade parzen/.test(e.message));
  } finally {
    done();
  }
});
