import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { sqlitePath } from '../storage/open.js';

/**
 * Where a study's log files live: beside its store, so two stores' studies of one name never share logs and a
 * store in a temporary folder keeps its logs there too.
 *
 * - `sqlite:<path>` → `<path>.logs/<study>/` (the default store `sqlite:studies/tuning.db` files them under
 *   `studies/tuning.db.logs/<study>/`);
 * - `memory:` → null: an in-process store ends with the process, and nothing could find its logs afterwards,
 *   so a run on it writes no log file;
 * - `postgresql://…` → null: the store is on another host, and its trials' logs are in the store itself.
 *
 * @example
 * studyLogDir('sqlite:/tmp/x/tuning.db', 'optimizer'); // '/tmp/x/tuning.db.logs/optimizer'
 */
export function studyLogDir(storageUrl: string, study: string, cwd: string = process.cwd()): string | null {
  if (storageUrl === 'memory:' || storageUrl === 'memory://') return null;
  if (/^postgres(ql)?:\/\//i.test(storageUrl)) return null;
  if (storageUrl.startsWith('sqlite:')) return join(`${sqlitePath(storageUrl, cwd)}.logs`, studyFolderName(study));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(storageUrl)?.[1];
  if (scheme === undefined) {
    throw new ConfigError(`storage "${storageUrl}" has no scheme; use sqlite:<path> (e.g. sqlite:studies/tuning.db) or memory:`, { code: 'USAGE' });
  }
  throw new ConfigError(`a ${scheme}: store keeps no log files; logs are filed beside SQLite stores (sqlite:<path>)`, { code: 'USAGE' });
}

/**
 * Where logs were filed before they followed the store (`<studiesDir>/<study>/logs`); `tune logs --studies-dir`
 * still reads them.
 */
export function legacyStudyLogDir(studiesDir: string, study: string): string {
  return join(studiesDir, study, 'logs');
}

/**
 * A study name as one folder name: letters, digits, `_`, `-` and inner `.` stay; every other byte (a `/`, a space,
 * `%` itself, a leading `.`) becomes `%XX`, so the mapping is one-to-one and no name climbs out of its folder.
 */
export function studyFolderName(study: string): string {
  const bytes = Buffer.from(study, 'utf8');
  let out = '';
  for (const [i, b] of bytes.entries()) {
    const c = String.fromCharCode(b);
    const keep = /[A-Za-z0-9_-]/.test(c) || (c === '.' && i > 0);
    out += keep ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
