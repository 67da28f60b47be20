import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { configOption, print, printJson, storageOption, usage, withCommandStorage, withStoreOptions } from './shared.js';

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
          .option('storage', storageOption)
          .option('config', configOption)
          .option('studies-dir', { type: 'string', describe: 'read logs filed the old way, under <dir>/<study>/logs (they now sit beside the store)' }),
      async (a) => {
        const { prettyPrintLog } = await import('../../tracking/logger.js');
        if (a.list) return print((await studyLogFiles(a)).files.join('\n'));
        const file = a.file ?? (await latestStudyLogFile(a));
        if (a.pretty) return prettyPrintLog({ file, stream: process.stdout, colorize: process.stdout.isTTY === true });
        await copyToStdout(file);
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
