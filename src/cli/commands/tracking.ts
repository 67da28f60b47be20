import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { configOption, outputFormat, print, printJson, storageOption, usage, withCommandStorage, withOutputOptions } from './shared.js';

/** `tune runs` and `tune logs`: full-training runs and a study's structured log. */
export function registerTrackingCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'logs',
      "print a study's structured log, as the JSON lines it is stored in (the latest run's, or --file)",
      (b) =>
        b
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('config', configOption)
          .option('json', { type: 'boolean', default: false, describe: 'one JSON array of the log records (default: JSON lines, one record per line); with --list, the files as a JSON array' })
          .option('pretty', { type: 'boolean', default: false, describe: 'human-readable lines (pino-pretty) instead of JSON' })
          .option('file', { type: 'string', describe: 'a log file of the study (default: the latest)' })
          .option('list', { type: 'boolean', default: false, describe: "list the study's log files" })
          .option('storage', storageOption)
          .option('studies-dir', { type: 'string', describe: 'read logs filed the old way, under <dir>/<study>/logs (they now sit beside the store)' })
          .check((x) => {
            if (x.json && x.pretty) throw usage('--json and --pretty are two different outputs of `tune logs`; pass one of them');
            return true;
          }),
      async (a) => {
        const { prettyPrintLog } = await import('../../tracking/logger.js');
        if (a.list) {
          const { files } = await studyLogFiles(a);
          return a.json ? printJson(files) : print(files.join('\n'));
        }
        const file = a.file ?? (await latestStudyLogFile(a));
        if (a.pretty) return prettyPrintLog({ file, stream: process.stdout, colorize: process.stdout.isTTY === true });
        if (a.json) return printJson(await readLogRecords(file));
        await copyToStdout(file);
      },
    )
    .command(
      'runs',
      'list full-training runs (tune train) with their results',
      (b) => withOutputOptions(b),
      async (a) => {
        const { listRuns } = await import('../../study/queries.js');
        const { printCsv, printTable, RUN_COLUMNS } = await import('./query-output.js');
        const format = outputFormat(a);
        await withCommandStorage(a, async (storage) => {
          const details = await listRuns(storage, { withSeries: format === 'json' });
          if (format === 'json') return printJson(details.map((d) => ({ ...d.run, metrics: Object.values(d.series).flat() })));
          const runs = details.map((d) => d.run);
          if (format === 'csv') return printCsv(RUN_COLUMNS, runs);
          if (runs.length === 0) return print('no full-training runs yet; start one with `tune train --baseline <baseline.json>`');
          printTable(RUN_COLUMNS, runs, 'see all with --format csv');
        });
      },
    );
}

type LogsArgs = { readonly study: string; readonly storage?: string; readonly config?: string; readonly 'studies-dir'?: string };

/**
 * The study's log files, oldest first, from the folder beside the store `--storage` names (or the old
 * `<studies-dir>/<study>/logs`), and where that is in words. Opens no store and creates nothing.
 */
async function studyLogFiles(a: LogsArgs): Promise<{ files: string[]; where: string }> {
  const { legacyStudyLogDir, studyLogDir } = await import('../../tracking/log-dir.js');
  const { listLogFiles } = await import('../../tracking/logger.js');
  if (a['studies-dir'] !== undefined) {
    if (a.storage !== undefined) throw usage('pass either --storage or --studies-dir to `tune logs`, not both');
    const dir = legacyStudyLogDir(a['studies-dir'], a.study);
    return { files: listLogFiles(dir), where: `under ${dir}` };
  }
  const { resolveStorageUrl } = await import('../../runner/tune.js');
  const url = await resolveStorageUrl(a);
  const dir = studyLogDir(url, a.study);
  if (dir === null) throw usage('a memory: store keeps no log files; run the study with --storage sqlite:<path> to keep its logs');
  return { files: listLogFiles(dir), where: `under ${dir} (beside the store ${url})` };
}

async function latestStudyLogFile(a: LogsArgs): Promise<string> {
  const { files, where } = await studyLogFiles(a);
  const latest = files.at(-1);
  if (latest === undefined) {
    throw usage(`study '${a.study}' has no log files ${where}: run \`tune --study ${a.study}\` on this store first, or pass the --storage it ran with`);
  }
  return latest;
}

async function copyToStdout(file: string): Promise<void> {
  const { createReadStream } = await import('node:fs');
  const { StorageError } = await import('../../errors.js');
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('error', (cause) => reject(new StorageError(`cannot read log file ${file} (${cause.message}): check the path (see \`tune logs --study <name> --list\`)`, { cause })))
      .on('end', resolve)
      .pipe(process.stdout, { end: false });
  });
}

/** The records of a JSON-lines log file; a line that is not JSON is an error naming the file and line, not skipped. */
async function readLogRecords(file: string): Promise<unknown[]> {
  const { readFile } = await import('node:fs/promises');
  const { StorageError } = await import('../../errors.js');
  const text = await readFile(file, 'utf8').catch((cause: Error) => {
    throw new StorageError(`cannot read log file ${file} (${cause.message}); \`tune logs --study <name> --list\` lists the study's log files`, { cause });
  });
  const records: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch (cause) {
      throw new StorageError(`log file ${file}, line ${i + 1}: not a JSON record (${(cause as Error).message}); without --json, \`tune logs\` prints the lines as they are`, { cause });
    }
  }
  return records;
}
