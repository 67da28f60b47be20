import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, StorageError } from '../../errors.js';

/**
 * Checks on the study store's file before SQLite touches it, so that each way a path can be wrong ends in a
 * message that names the path and the fix, instead of SQLite quietly creating a file (or folders) where the user
 * made a typo, or failing later with "attempt to write a readonly database".
 */

/** The file, and the URL the user named it by (for messages). */
export interface StoreFile {
  readonly file: string;
  readonly url?: string;
}

/**
 * For `sqlite:///tmp/x.db`: as in SQLAlchemy (and so Optuna), three slashes mean a path relative to the working
 * folder and four an absolute one, a frequent surprise worth spelling out whenever such a path is missing.
 */
export function slashHint(url: string | undefined): string {
  if (url === undefined || !url.startsWith('sqlite:///') || url.startsWith('sqlite:////')) return '';
  const rest = url.slice('sqlite:///'.length);
  return ` (${url} has three slashes, so its path is relative to the working folder, as in SQLAlchemy and Optuna; for the absolute path /${rest} write sqlite:////${rest})`;
}

/** For reading: the file must exist and be a file. Throws StorageError STORE_NOT_FOUND. */
export function checkStoreExists({ file, url }: StoreFile): void {
  if (!existsSync(file)) {
    throw new StorageError(
      `no study store at ${file}${slashHint(url)}; this command works on an existing store and never creates one: check --storage, or start a store with ` +
        '`tune create-study --study <name>` or a run (`tune --trials 12`)',
      { code: 'STORE_NOT_FOUND' },
    );
  }
  if (statSync(file).isDirectory()) {
    throw new StorageError(`no study store at ${file}: it is a folder; give the database file inside it, e.g. --storage sqlite:${file}/tuning.db`, {
      code: 'STORE_NOT_FOUND',
    });
  }
}

/**
 * For writing: the file must exist unless `create`; the parent folder must exist (or, with `createParentDirs`, is
 * created) and the user must be able to write the file and its folder (SQLite keeps the -wal and -shm files
 * beside the database).
 *
 * A missing folder is an error rather than created on the fly: SQLite itself (and Optuna on top of it) refuses
 * such a path, and creating folders silently turns a typo such as `sqlite:/nonexistent/dir/x.db` into a new
 * folder tree (anywhere on disk, when run as root). The fix is one `mkdir -p`, which the message spells out.
 * `openStorage` makes the one exception for parzen's own folder `studies/`, so the default store works in a
 * fresh clone.
 */
export function prepareStoreForWriting(store: StoreFile, opts: { create: boolean; createParentDirs: boolean }): void {
  if (!opts.create) checkStoreExists(store);
  const { file } = store;
  const dir = dirname(file);
  if (!existsSync(dir)) {
    if (!opts.createParentDirs) throw missingFolder(store, dir);
    makeDir(file, dir);
  }
  if (!statSync(dir).isDirectory()) {
    throw new StorageError(`cannot create the study store ${file}: ${dir} is a file, not a folder; choose a writable path with --storage sqlite:<path>`, {
      code: 'STORE_NOT_FOUND',
    });
  }
  const fileExists = existsSync(file);
  if (fileExists && statSync(file).isDirectory()) {
    throw new StorageError(`cannot open the study store ${file}: it is a folder, not a database file; give a writable file path, e.g. --storage sqlite:${file}/tuning.db`, {
      code: 'STORE_NOT_FOUND',
    });
  }
  if (fileExists && !writable(file)) throw readOnly(file, 'the file is not writable');
  if (!writable(dir)) {
    throw fileExists
      ? readOnly(file, `its folder ${dir} is not writable, and SQLite keeps its -wal and -shm files there`)
      : new StorageError(`cannot create the study store ${file}: the folder ${dir} is not writable for this user; choose a writable path with --storage sqlite:<path>`, {
          code: 'STORE_READ_ONLY',
        });
  }
}

/** The error for a write to a store this user may only read, with what still works and how to get a copy. */
export function readOnly(file: string, why: string, cause?: unknown): StorageError {
  return new StorageError(
    `the study store ${file} is read-only for this user (${why}), and this command writes to it. Query commands ` +
      '(tune studies, trials, best, runs, export-baseline) can still read it; to work on a copy, run ' +
      `\`tune copy-study --study <name> --from-storage sqlite:${file} --to-storage sqlite:<a writable path>\`, or ask its owner for write access`,
    { code: 'STORE_READ_ONLY', cause },
  );
}

function missingFolder({ file, url }: StoreFile, dir: string): ConfigError {
  return new ConfigError(
    `storage "${url ?? `sqlite:${file}`}": the folder ${dir} does not exist${slashHint(url)}; ` +
      `create it first (mkdir -p ${dir}) or choose another --storage path`,
  );
}

/** access(2) checks the real user's rights, root's included, and read-only mounts (EROFS). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return false;
    throw e;
  }
}

function makeDir(file: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new StorageError(
      `cannot create the folder ${dir} for the study store ${file}: ${(e as Error).message}; choose a writable path with --storage sqlite:<path>`,
      { cause: e },
    );
  }
}
