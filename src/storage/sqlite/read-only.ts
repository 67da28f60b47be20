import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StorageError } from '../../errors.js';
import { checkStoreExists, type StoreFile } from './store-file.js';
import { checkSchemaVersion } from './migrations.js';

/**
 * Opening a study store for reading only (the query commands): `readonly: true`, no migrations, no pragma
 * writes, so a store the user may only read (a 0444 file, a folder they cannot write) can be queried, and a
 * query never creates or changes anything.
 */

/** Opens the existing store in `file` read-only and checks it is a parzen store of this schema version. */
export function openReadOnlyDatabase(store: StoreFile, busyTimeoutMs: number): Database.Database {
  checkStoreExists(store);
  const { file } = store;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    checkSchemaVersion(db, file);
    return db;
  } catch (e) {
    db?.close();
    if (!needsSnapshot(e, file)) throw e;
  }
  const snapshot = readSnapshot(file);
  try {
    checkSchemaVersion(snapshot, file);
    return snapshot;
  } catch (e) {
    snapshot.close();
    throw e;
  }
}

/**
 * A WAL database needs its -shm (shared-memory index) file even to be read. When no connection has the store
 * open, that file does not exist, and a reader who may not write the folder cannot create it: SQLite answers
 * SQLITE_READONLY_DIRECTORY (or SQLITE_CANTOPEN) even for a read-only connection.
 */
function needsSnapshot(e: unknown, file: string): boolean {
  const code = (e as { code?: unknown }).code;
  if (code !== 'SQLITE_READONLY_DIRECTORY' && !(typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN'))) return false;
  if (existsSync(`${file}-shm`)) return false;
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) {
    throw new StorageError(
      `cannot read the study store ${file}: its write-ahead log ${file}-wal holds commits that only a user who may write ` +
        `its folder can fold back into the file; ask its owner to run \`sqlite3 ${file} 'PRAGMA wal_checkpoint(TRUNCATE)'\`, or copy both files somewhere writable`,
      { cause: e },
    );
  }
  return true;
}

/**
 * With no -shm and no -wal file, no connection is open and every commit is in the main file, so an in-memory copy
 * of it is exactly the store. The copy is taken again if the file changed while it was read (a writer that
 * opened meanwhile, whose -shm then lets the next query read the file in place). Bytes 18–19 of the header
 * say "WAL"; an in-memory database cannot use a WAL, so the copy says "rollback journal" (1) instead.
 */
function readSnapshot(file: string): Database.Database {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = statSync(file);
    const bytes = readFileSync(file);
    const after = statSync(file);
    if (before.mtimeMs !== after.mtimeMs || before.size !== after.size || existsSync(`${file}-shm`)) continue;
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
    return new Database(bytes, { readonly: true });
  }
  throw new StorageError(`cannot read the study store ${file}: it kept changing while it was read; run the query again`);
}
