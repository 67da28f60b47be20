import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { withCommandStorage, print, printJson, withStoreOptions } from './shared.js';

/** `tune runs` and `tune logs`: full-training runs and a study's structured log. */
export function registerTrackingCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'logs',
      "print a study's structured log (the latest run's, or --file)",
      (b) =>
        b
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('pretty', { type: 'boolean', default: false, describe: 'human-readable lines (pino-pretty) instead of JSON' })
          .option('file', { type: 'string', describe: 'a log file of the study (default: the latest)' })
          .option('list', { type: 'boolean', default: false, describe: "list the study's log files" })
          .option('studies-dir', { type: 'string', default: 'studies', describe: 'where studies keep their logs' }),
      async (a) => {
        const { createReadStream } = await import('node:fs');
        const { join } = await import('node:path');
        const { latestLogFile, listLogFiles, prettyPrintLog } = await import('../../tracking/logger.js');
        const studyDir = join(a['studies-dir'], a.study);
        if (a.list) return print(listLogFiles(studyDir).join('\n'));
        const file = a.file ?? latestLogFile(studyDir);
        if (a.pretty) return prettyPrintLog({ file, stream: process.stdout, colorize: process.stdout.isTTY === true });
        await new Promise<void>((resolve, reject) => {
          createReadStream(file).on('error', reject).on('end', resolve).pipe(process.stdout, { end: false });
        });
      },
    )
    .command(
      'runs',
      'list full-training runs (tune train) with their results',
      (b) => withStoreOptions(b),
      async (a) => {
        const { table, formatNumber } = await import('../format.js');
        const { listRuns } = await import('../../study/queries.js');
        await withCommandStorage(a, async (storage) => {
          const details = await listRuns(storage, { withSeries: a.json });
          if (a.json) return printJson(details.map((d) => ({ ...d.run, metrics: Object.values(d.series).flat() })));
          const runs = details.map((d) => d.run);
          if (runs.length === 0) return print('no full-training runs yet; start one with `tune train --config <baseline.json>`');
          print(
            table(
              ['run', 'subsystem', 'study', 'state', 'value', 'started', 'error'],
              runs.map((r) => [
                String(r.runId),
                r.subsystem,
                r.studyName ?? '-',
                r.state,
                formatNumber(typeof r.result?.['value'] === 'number' ? r.result['value'] : null),
                r.datetimeStart.toISOString(),
                r.error?.message.split('\n')[0] ?? '',
              ]),
            ),
          );
        });
      },
    );
}
