import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, StorageError } from '../../src/errors.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { openStorage, sqlitePath } from '../../src/storage/open.js';

test('sqlite: paths are resolved against the working folder, SQLAlchemy spellings included', () => {
  assert.equal(sqlitePath('sqlite:studies/tuning.db', '/work'), '/work/studies/tuning.db');
  assert.equal(sqlitePath('sqlite:/abs/t.db', '/work'), '/abs/t.db');
  assert.equal(sqlitePath('sqlite:///rel.db', '/work'), '/work/rel.db');
  assert.equal(sqlitePath('sqlite:////tmp/x.db', '/work'), '/tmp/x.db');
  assert.throws(() => sqlitePath('sqlite:', '/work'), ConfigError);
  assert.throws(() => sqlitePath('sqlite://host/x.db', '/work'), /no host/);
});

test('openStorage creates a missing parent folder only for studies/ or with createParentDirs, and memory: gives an in-process store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-open-'));
  try {
    await assert.rejects(openStorage('sqlite:a/b/c.db', { cwd: dir }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.ok(e.message.includes(`the folder ${join(dir, 'a/b')} does not exist`), e.message);
      assert.ok(e.message.includes(`mkdir -p ${join(dir, 'a/b')}`), e.message);
      return true;
    });
    assert.equal(existsSync(join(dir, 'a')), false, 'no folder was created');
    const s = await openStorage('sqlite:a/b/c.db', { cwd: dir, createParentDirs: true });
    assert.equal(s.url, `sqlite:${join(dir, 'a/b/c.db')}`);
    await s.createStudy({ name: 'x', direction: 'minimize' });
    await s.close();
    assert.ok(existsSync(join(dir, 'a/b/c.db')));
    const d = await openStorage('sqlite:studies/tuning.db', { cwd: dir });
    await d.close();
    assert.ok(existsSync(join(dir, 'studies/tuning.db')), 'the default store is created in a fresh working folder');
    assert.ok((await openStorage('memory:')) instanceof InMemoryStorage);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown scheme is a ConfigError that lists the schemes, PostgreSQL among them, without the password', async () => {
  await assert.rejects(openStorage('mysql://me:secret@db/x'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /unknown scheme "mysql:".*sqlite:<path>.*postgresql:\/\/.*memory:/);
    assert.doesNotMatch(e.message, /secret/, 'the password is not echoed');
    return true;
  });
  await assert.rejects(openStorage('tuning.db'), /no scheme/);
  await assert.rejects(openStorage(''), ConfigError);
});

test('an unwritable sqlite: path is a StorageError naming the path and the fix', async () => {
  // A regular file where a folder should be, and a folder where the database file should be: both fail for
  // any user, root included (permission bits would not stop root).
  const dir = mkdtempSync(join(tmpdir(), 'parzen-ro-'));
  try {
    writeFileSync(join(dir, 'blocker'), 'not a folder');
    mkdirSync(join(dir, 'folder.db'));
    for (const path of [join(dir, 'blocker', 't.db'), join(dir, 'folder.db')]) {
      await assert.rejects(openStorage(`sqlite:${path}`), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.ok(e.message.includes(path), e.message);
        assert.match(e.message, /writable/);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
