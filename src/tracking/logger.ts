import { appendFileSync, createReadStream, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino, type DestinationStream, type Logger } from 'pino';
import { ConfigError, StorageError } from '../errors.js';
import type { LogLevel } from '../core/frozen.js';

/**
 * Structured study logs: pino JSON lines in `<log dir>/<ISO timestamp>.log`, one file per `tune` run (the log dir
 * sits beside the store: see log-dir.ts), and a pretty printer for `tune logs --study X [--pretty]`.
 *
 * Logging never takes a study down: a log folder that cannot be created or a file that cannot be written (no
 * permission, a full disk) is reported once through `onFailure`, the file is given up, and the run goes on.
 */

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export interface StudyLoggerOptions {
  /** The folder of the study's log files (created when missing); null writes no file (a `memory:` store). */
  readonly dir: string | null;
  /** Least severe level written. Default 'info'. */
  readonly level?: LogLevel;
  /** Time the file is named after. Default: now. */
  readonly startedAt?: Date;
  /**
   * Told once, with a one-paragraph message naming the file and the error, when the log cannot be created or
   * written; nothing more is written to the file after it. Default: the message on stderr.
   */
  readonly onFailure?: (message: string, cause: Error) => void;
}

export interface StudyLogger {
  readonly logger: Logger;
  /** Path of the log file this run writes; null when it writes none (no folder, or it could not be created). */
  readonly file: string | null;
}

/**
 * Opens this run's log file and returns a pino logger writing JSON lines to it. Writes are synchronous, so a
 * line logged before a crash or `kill -9` is on disk (logs are per trial event, not per batch: the cost is
 * small, and losing the lines that explain a crash would defeat them).
 *
 * @example
 * const { logger, file } = createStudyLogger({ dir: studyLogDir('sqlite:studies/tuning.db', 'optimizer'), level: 'debug' });
 * logger.info({ trial: 3, value: 0.42 }, 'trial complete');
 */
export function createStudyLogger(options: StudyLoggerOptions): StudyLogger {
  const level = options.level ?? 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`log level '${String(level)}' is unknown: choose one of ${LOG_LEVELS.join(', ')}`, { code: 'USAGE' });
  }
  if (options.dir !== null && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new ConfigError('createStudyLogger: `dir` must be the folder of the study\'s log files (see studyLogDir), or null for none', { code: 'USAGE' });
  }
  const onFailure = options.onFailure ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const silent = (): StudyLogger => ({ logger: pino({ enabled: false }), file: null });
  if (options.dir === null) return silent();
  const file = join(options.dir, logFileName(options.startedAt ?? new Date()));
  try {
    mkdirSync(options.dir, { recursive: true });
    appendFileSync(file, '');
  } catch (cause) {
    onFailure(`cannot create the study log ${file} (${describe(cause)}); this run writes no log file and goes on (fix the folder's permissions, or free space, to keep the next run's log)`, asError(cause));
    return silent();
  }
  const destination = appendingDestination(file, (cause) =>
    onFailure(`cannot write the study log ${file} (${describe(cause)}); logging to it stopped and the study goes on (free space, or fix permissions; the next run writes a new file)`, cause),
  );
  return { logger: pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, destination), file };
}

/**
 * A pino destination appending each line to `file` by path, not through a held descriptor: a log moved away
 * (logrotate) or deleted mid-study is recreated, and a fault at the path (a full disk, a folder made read-only)
 * shows at the next line. The first failed write is reported and ends the file's logging; it never throws.
 */
function appendingDestination(file: string, fail: (cause: Error) => void): DestinationStream {
  let failed = false;
  return {
    write(line: string): void {
      if (failed) return;
      try {
        appendFileSync(file, line);
      } catch (cause) {
        failed = true;
        fail(asError(cause));
      }
    },
  };
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
const describe = (e: unknown): string => asError(e).message;

/** `2025-01-31T09-05-00.123Z.log`: the ISO timestamp with ':' made '-', so the name is valid on every OS. */
export function logFileName(date: Date): string {
  return `${date.toISOString().replace(/:/g, '-')}.log`;
}

/** The log files in `dir` (a study's log folder), oldest first (ISO names sort by time). Empty when there are none. */
export function listLogFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT') return [];
    throw new StorageError(`cannot read the log folder ${dir} (${describe(cause)})`, { cause });
  }
  return names.filter((n) => n.endsWith('.log')).sort().map((n) => join(dir, n));
}

/** The newest log file in `dir`; throws when the study has never been run with logging there. */
export function latestLogFile(dir: string): string {
  const last = listLogFiles(dir).at(-1);
  if (last === undefined) {
    throw new ConfigError(`no log files under ${dir}: run \`tune --study <name>\` on this store first`, { code: 'USAGE' });
  }
  return last;
}

export interface PrettyPrintOptions {
  readonly file: string;
  readonly stream: { write(chunk: string): unknown };
  /** ANSI colours (for a terminal). Default false. */
  readonly colorize?: boolean;
}

/**
 * Writes a JSON-lines log file to `stream` in pino-pretty's human format (time, level, message, fields), line
 * by line so large logs are not read whole. Lines that are not JSON pass through unchanged.
 *
 * @example
 * await prettyPrintLog({ file: latestLogFile('studies/tuning.db.logs/optimizer'), stream: process.stdout, colorize: process.stdout.isTTY });
 */
export async function prettyPrintLog(options: PrettyPrintOptions): Promise<void> {
  // pino-pretty is only needed by `tune logs --pretty`: load it there, not with the logger.
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ colorize: options.colorize ?? false, translateTime: 'SYS:standard', ignore: 'pid,hostname' });
  const input = createReadStream(options.file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (cause) {
    throw new StorageError(`cannot read log file ${options.file}: check the path (see \`tune logs --study <name>\`)`, { cause });
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    options.stream.write(pretty(line));
  }
}
