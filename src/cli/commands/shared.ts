import type { Argv } from 'yargs';
import { ConfigError } from '../../errors.js';
import type { Storage } from '../../storage/storage.js';
import { toJson } from '../format.js';

export const storageOption = {
  type: 'string',
  describe: 'study store: sqlite:<path> (default sqlite:studies/tuning.db) or memory:',
} as const;

export const configOption = {
  type: 'string',
  describe: 'tuning config file (default ./tuning.config.ts; optional)',
} as const;

export const jsonOption = { type: 'boolean', default: false, describe: 'print JSON instead of a table' } as const;

export function withStoreOptions<T>(y: Argv<T>) {
  return y.option('storage', storageOption).option('config', configOption).option('json', jsonOption);
}

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Store options plus `--format table|json|csv` (`--json` is `--format json`), for the commands that list rows. */
export function withOutputOptions<T>(y: Argv<T>) {
  return withStoreOptions(y)
    .option('json', { ...jsonOption, describe: 'the same as --format json' })
    .option('format', {
      choices: OUTPUT_FORMATS,
      describe:
        'table (default): as wide as $COLUMNS, else the terminal (long errors cut, parameter columns that do not fit ' +
        'left out and named on stderr); piped without $COLUMNS, rows are never cut. csv: RFC 4180 (quoted fields, CRLF ' +
        'line ends), a header row, one column per parameter (params.<name>), full error text. json: as --json',
    })
    .check((a) => {
      outputFormat(a);
      return true;
    });
}

/** The format asked for; `--json` with a different `--format` is a usage error, not a silent choice. */
export function outputFormat(a: { readonly json?: boolean; readonly format?: OutputFormat }): OutputFormat {
  if (a.json === true && a.format !== undefined && a.format !== 'json') throw usage(`--json means --format json; it cannot go with --format ${a.format}: pass one of them`);
  return a.json === true ? 'json' : (a.format ?? 'table');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/**
 * Open the store a command uses (lazily: better-sqlite3 loads only here), run `fn` on it, and close it whatever
 * happens. `access`:
 * - `read` (the default, for query commands): read-only; never creates a store (a missing file is an error naming
 *   the path) and works on a store the user may only read;
 * - `write`: changes an existing store (delete-study, tell, …); a missing file is the same error as for `read`;
 * - `create`: changes the store, creating it when missing (create-study).
 */
export async function withCommandStorage<T>(
  argv: { storage?: string; config?: string },
  fn: (storage: Storage) => Promise<T>,
  opts: { access?: 'read' | 'write' | 'create' } = {},
): Promise<T> {
  const { resolveStorageUrl } = await import('../../runner/tune.js');
  const { openStorage } = await import('../../storage/open.js');
  const access = opts.access ?? 'read';
  const storage = await openStorage(await resolveStorageUrl(argv), { readOnly: access === 'read', create: access === 'create' });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

/** A bad flag value: reported like any usage error (exit 2), never as an unexpected failure. */
export function usage(message: string): ConfigError {
  return new ConfigError(message, { code: 'USAGE' });
}
