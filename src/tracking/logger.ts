import { createReadStream, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino, type Logger } from 'pino';
import { ConfigError, StorageError } from '../errors.js';
import type { LogLevel } from '../core/frozen.js';

/**
 * Structured study logs: pino JSON lines in `<studyDir>/logs/<ISO timestamp>.log`, one file per `tune` run,
 * and a pretty printer for `tune logs --study X [--pretty]`.
 */

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export interface StudyLoggerOptions {
  /** The study's directory, e.g. `studies/<study>`; `logs/` is created inside it. */
  readonly studyDir: string;
  /** Least severe level written. Default 'info'. */
  readonly level?: LogLevel;
  /** Time the file is named after. Default: now. */
  readonly startedAt?: Date;
}

export interface StudyLogger {
  readonly logger: Logger;
  /** Path of the log file this run writes. */
  readonly file: string;
}

/**
 * Opens this run's log file and returns a pino logger writing JSON lines to it. Writes are synchronous, so a
 * line logged before a crash or `kill -9` is on disk (logs are per trial event, not per batch: the cost is
 * small, and losing the lines that explain a crash would defeat them).
 *
 * @example
 * const { logger, file } = createStudyLogger({ studyDir: 'studies/optimizer', level: 'debug' });
 * logger.info({ trial: 3, value: 0.42 }, 'trial complete');
 */
export function createStudyLogger(options: StudyLoggerOptions): StudyLogger {
  const level = options.level ?? 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`log level '${String(level)}' is unknown: choose one of ${LOG_LEVELS.join(', ')}`, { code: 'USAGE' });
  }
  if (typeof options.studyDir !== 'string' || options.studyDir === '') {
    throw new ConfigError('createStudyLogger: `studyDir` must be the study directory, e.g. studies/<study>', { code: 'USAGE' });
  }
  const dir = join(options.studyDir, 'logs');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new StorageError(`cannot create the log directory ${dir}: check its permissions or choose another study directory`, { cause });
  }
  const file = join(dir, logFileName(options.startedAt ?? new Date()));
  const logger = pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: file, sync: true }));
  return { logger, file };
}

/** `2025-01-31T09-05-00.123Z.log`: the ISO timestamp with ':' made '-', so the name is valid on every OS. */
export function logFileName(date: Date): string {
  return `${date.toISOString().replace(/:/g, '-')}.log`;
}

/** The study's log files, oldest first (ISO names sort by time). Empty when it has none. */
export function listLogFiles(studyDir: string): string[] {
  const dir = join(studyDir, 'logs');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT') return [];
    throw new StorageError(`cannot read the log directory ${dir}`, { cause });
  }
  return names.filter((n) => n.endsWith('.log')).sort().map((n) => join(dir, n));
}

/** The newest log file of the study; throws when the study has never been run with logging. */
export function latestLogFile(studyDir: string): string {
  const files = listLogFiles(studyDir);
  const last = files.at(-1);
  if (last === undefined) {
    throw new ConfigError(`no log files under ${join(studyDir, 'logs')}: run \`tune --study <name>\` first`, { code: 'USAGE' });
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
 * await prettyPrintLog({ file: latestLogFile('studies/optimizer'), stream: process.stdout, colorize: process.stdout.isTTY });
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
