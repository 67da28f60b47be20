import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { configOption, withCommandStorage, print, printJson, withOutputOptions, outputFormat, usage } from './shared.js';

/** `tune runs` and `tune logs`: full-training runs and a study's structured log. */
export function registerTrackingCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'logs',
      "print a study's structured log, as the JSON lines it is stored in (the latest run's, or --file)",
      (b) =>
        b
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('config', { ...configOption, describe: `${configOption.describe}; its studiesDir says where logs are` })
          .option('json', { type: 'boolean', default: false, describe: 'one JSON array of the log records (default: JSON lines, one record per line); with --list, the files as a JSON array' })
          .option('pretty', { type: 'boolean', default: false, describe: 'human-readable lines (pino-pretty) instead of JSON' })
          .option('file', { type: 'string', describe: 'a log file of the study (default: the latest)' })
          .option('list', { type: 'boolean', default: false, describe: "list the study's log files" })
          .option('studies-dir', { type: 'string', hidden: true })
          .check((x) => {
            if (x['studies-dir'] !== undefined) throw usage("--studies-dir is gone from `tune logs`: logs are found from the tuning config's `studiesDir` (pass --config FILE)");
            if (x.json && x.pretty) throw usage('--json and --pretty are two different outputs of `tune logs`; pass one of them');
            return true;
          }),
      async (a) => {
        const { createReadStream } = await import('node:fs');
        const { join } = await import('node:path');
        const { loadConfig } = await import('../../config/load.js');
        const { latestLogFile, listLogFiles, prettyPrintLog } = await import('../../tracking/logger.js');
        const { config } = await loadConfig(a.config);
        const studyDir = join(config.studiesDir ?? 'studies', a.study);
        if (a.list) {
          const files = listLogFiles(studyDir);
          return a.json ? printJson(files) : print(files.join('\n'));
        }
        const file = a.file ?? latestLogFile(studyDir);
        if (a.pretty) return prettyPrintLog({ file, stream: process.stdout, colorize: process.stdout.isTTY === true });
        if (a.json) return printJson(await readLogRecords(file));
        await new Promise<void>((resolve, reject) => {
          createReadStream(file).on('error', reject).on('end', resolve).pipe(process.stdout, { end: false });
        });
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
