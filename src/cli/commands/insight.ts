import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { print, printJson, usage, withCommandStorage, withStoreOptions } from './shared.js';

/** `tune importance` (and, registered beside it, `tune dashboard`): what a study's trials say. */
export function registerInsightCommands(y: Argv, state: CliState): Argv {
  return y.command(
    'importance',
    "which hyperparameters mattered for reaching a study's top values (PED-ANOVA, Watanabe et al. 2023)",
    (b) =>
      withStoreOptions(b)
        .option('study', { type: 'string', demandOption: true, describe: 'study name' })
        .option('quantile', { type: 'number', default: 0.1, describe: 'explain reaching the top fraction of COMPLETE trials (0 < q ≤ 1)' })
        .option('global', { type: 'boolean', default: false, describe: 'compare with the whole declared range instead of the region the study searched' })
        .check((x) => {
          if (!(x.quantile > 0 && x.quantile <= 1)) throw usage(`--quantile must be in (0, 1], got ${x.quantile}: 0.1 explains the top 10 %`);
          return true;
        }),
    async (a) => {
      const { getImportance } = await import('../../study/queries.js');
      await withCommandStorage(a, async (storage) => {
        const { result } = await getImportance(storage, a.study, { baselineQuantile: a.quantile, evaluateOnLocal: !a.global });
        if (a.json) return printJson(result);
        if (result.importances.length === 0) return print(`study '${a.study}' has no parameter that every COMPLETE trial shares; run more trials with \`tune --study ${a.study}\``);
        print(formatImportances(result.importances));
        process.stderr.write(`PED-ANOVA over ${result.nTrials} COMPLETE trials; top ${result.nTopTrials} (quantile ${a.quantile})\n`);
      });
    },
  ).command(...dashboardCommand(state));
}

function formatImportances(rows: readonly { param: string; importance: number }[]): string {
  const width = Math.max(5, ...rows.map((r) => r.param.length));
  const lines = rows.map((r) => `${r.param.padEnd(width)}  ${r.importance.toFixed(4)}  ${'█'.repeat(Math.round(r.importance * 40))}`);
  return [`${'param'.padEnd(width)}  importance`, ...lines].join('\n');
}

function dashboardCommand(state: CliState) {
  return [
    'dashboard',
    'serve a live web view of the store (read-only; 127.0.0.1 by default)',
    (b: Argv) =>
      withStoreOptions(b)
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind; any other than 127.0.0.1/localhost/::1 needs the access token printed at start' })
        .option('port', { type: 'number', default: 8080, describe: 'port (0: any free one)' })
        .check((x) => {
          const port = x.port as number;
          if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw usage(`--port must be an integer 0–65535, got ${port}`);
          return true;
        }),
    async (a: { storage?: string; config?: string; host: string; port: number }) => {
      const { runDashboard } = await import('../../dashboard/run.js');
      await runDashboard({ storage: a.storage, config: a.config, host: a.host, port: a.port, state });
    },
  ] as const;
}
