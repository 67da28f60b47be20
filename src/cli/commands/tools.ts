import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { withCommandStorage, print, printJson, withStoreOptions } from './shared.js';

/** Subsystem tools: `tune estimate`, `tune datasets generate`, `tune runs`, `tune logs`. */
export function registerToolCommands(y: Argv, _state: CliState): Argv {
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
      'estimate',
      'lattice security estimate (primal uSVP, GSA, core-SVP) of an LWE parameter set',
      (b) =>
        b
          .option('n', { type: 'number', demandOption: true, describe: 'LWE / ring dimension' })
          .option('q', { type: 'string', demandOption: true, describe: 'modulus: 12289, 2^27, 2**27 or logq:27' })
          .option('sigma', { type: 'number', demandOption: true, describe: 'error standard deviation' })
          .option('secret', { choices: ['gaussian', 'ternary', 'binary'] as const, default: 'gaussian' as const, describe: 'secret distribution' })
          .option('m', { type: 'number', describe: 'samples available to the attacker (default 2n)' })
          .option('cost-model', { choices: ['core-svp', 'core-svp-log-b', 'bkz-sieve'] as const, default: 'core-svp' as const })
          .option('json', { type: 'boolean', default: false }),
      async (a) => {
        const { estimateLwe, formatEstimate, parseModulus } = await import('../../lattice/index.js');
        const params = { n: a.n, logQ: parseModulus(a.q), sigma: a.sigma, secret: a.secret, m: a.m, costModel: a['cost-model'] };
        const est = estimateLwe(params);
        if (a.json) printJson({ params, estimate: est });
        else print(formatEstimate(est, params));
      },
    )
    .command(
      'datasets generate <subsystem>',
      "generate a subsystem's datasets (optimizer: circuits labelled by the lattice estimator, HDF5)",
      (b) =>
        b
          .positional('subsystem', { type: 'string', demandOption: true, choices: ['optimizer'] })
          .option('train', { type: 'number', default: 10000, describe: 'training circuits' })
          .option('val', { type: 'number', default: 2000, describe: 'validation circuits' })
          .option('test', { type: 'number', default: 2000, describe: 'test circuits' })
          .option('seed', { type: 'number', default: 42 })
          .option('dir', { type: 'string', describe: 'output folder (default datasets/<subsystem>)' })
          .option('json', { type: 'boolean', default: false }),
      async (a) => {
        const { generateDatasets } = await import('../../subsystems/optimizer/dataset/generate.js');
        const dir = a.dir ?? `datasets/${a.subsystem}`;
        let lastPct = -1;
        const manifest = await generateDatasets({
          dir,
          train: a.train,
          val: a.val,
          test: a.test,
          seed: a.seed,
          onProgress: (p) => {
            const pct = Math.floor((100 * p.done) / p.total);
            if (pct !== lastPct && (pct % 10 === 0 || p.done === p.total)) {
              lastPct = pct;
              process.stderr.write(`${p.split}: ${p.done}/${p.total} circuits (${pct}%)\n`);
            }
          },
        });
        if (a.json) return printJson({ dir, manifest });
        print(`wrote ${dir}: ${Object.entries(manifest.splits).map(([k, s]) => `${k} ${s.nCircuits}`).join(', ')} circuits ` +
          `in ${(manifest.totalMs / 1000).toFixed(1)} s (${Math.round(manifest.circuitsPerMinute)} circuits/min)`);
      },
    )
    .command(
      'runs',
      'list full-training runs (tune train) with their results',
      (b) => withStoreOptions(b),
      async (a) => {
        const { table, formatNumber } = await import('../format.js');
        await withCommandStorage(a, async (storage) => {
          const runs = await storage.listRuns();
          if (a.json) {
            const withMetrics = await Promise.all(runs.map(async (r) => ({ ...r, metrics: await storage.getMetrics({ runId: r.runId }) })));
            return printJson(withMetrics);
          }
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
