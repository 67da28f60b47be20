import type { Argv } from 'yargs';
import { ConfigError } from '../../errors.js';
import type { CliState } from '../state.js';
import { configOption, print, printJson, storageOption, usage, withCommandStorage, withStoreOptions } from './shared.js';

/** `tune importance` (and, registered beside it, `tune dashboard`): what a study's trials say. */
export function registerInsightCommands(y: Argv, state: CliState): Argv {
  return y.command(
    'importance',
    "which hyperparameters mattered: PED-ANOVA (Watanabe et al. 2023; what reaching the top values takes) or --method fanova (Hutter et al. 2014; a random forest's variance shares)",
    (b) =>
      withStoreOptions(b)
        .option('study', { type: 'string', demandOption: true, describe: 'study name' })
        .option('method', { choices: ['ped-anova', 'fanova'] as const, default: 'ped-anova' as const, describe: 'ped-anova: milliseconds at 10,000 trials; fanova: grows a forest (seconds at 1,000 trials)' })
        .option('quantile', { type: 'number', default: 0.1, describe: 'ped-anova: explain reaching the top fraction of COMPLETE trials (0 < q ≤ 1)' })
        .option('global', { type: 'boolean', default: false, describe: 'ped-anova: compare with the whole declared range instead of the region the study searched' })
        .option('trees', { type: 'number', default: 64, describe: 'fanova: trees in the random forest' })
        .option('seed', { type: 'number', default: 0, describe: 'fanova: the forest\'s seed (same seed, same importances)' })
        .check((x) => {
          if (!(x.quantile > 0 && x.quantile <= 1)) throw usage(`--quantile must be in (0, 1], got ${x.quantile}: 0.1 explains the top 10 %`);
          if (!Number.isSafeInteger(x.trees) || x.trees < 1 || x.trees > 10_000) throw usage(`--trees must be an integer 1–10000, got ${x.trees}: 64 is Optuna's default`);
          if (!Number.isSafeInteger(x.seed) || x.seed < 0) throw usage(`--seed must be an integer ≥ 0, got ${x.seed}`);
          return true;
        }),
    async (a) => {
      const { getImportance } = await import('../../study/queries.js');
      await withCommandStorage(a, async (storage) => {
        const started = performance.now();
        const { result } = await getImportance(storage, a.study, { method: a.method, baselineQuantile: a.quantile, evaluateOnLocal: !a.global, nTrees: a.trees, seed: a.seed });
        if (a.json) return printJson(result);
        if (result.importances.length === 0) return print(`study '${a.study}' has no parameter that every COMPLETE trial shares; run more trials with \`tune --study ${a.study}\``);
        print(formatImportances(result.importances));
        const ms = Math.round(performance.now() - started);
        if (result.method === 'fanova') process.stderr.write(`fANOVA over ${result.nTrials} COMPLETE trials (${result.nTrees} trees, ${ms} ms); the main effects explain ${(100 * result.importances.reduce((s, p) => s + p.varianceFraction, 0)).toFixed(1)} % of the variance, interactions the rest\n`);
        else process.stderr.write(`PED-ANOVA over ${result.nTrials} COMPLETE trials; top ${result.nTopTrials} (quantile ${a.quantile})\n`);
      });
    },
  )
    .command(...dashboardCommand(state))
    .command(...plotCommand());
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
      b
        .option('storage', storageOption)
        .option('config', configOption)
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind; any other than 127.0.0.1/localhost/::1 needs the access token printed at start' })
        .option('port', { type: 'number', default: 8080, describe: 'port (0: any free one)' })
        .option('open', { type: 'boolean', default: false, describe: 'open the page in the default browser (xdg-open; prints the URL when there is none)' })
        .check((x) => {
          const port = x.port as number;
          if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw usage(`--port must be an integer 0–65535, got ${port}`);
          return true;
        }),
    async (a: { storage?: string; config?: string; host: string; port: number; open: boolean }) => {
      const { runDashboard } = await import('../../dashboard/run.js');
      await runDashboard({ storage: a.storage, config: a.config, host: a.host, port: a.port, open: a.open, state });
    },
  ] as const;
}

const PLOT_KINDS = ['history', 'importance', 'parallel', 'series', 'slice', 'edf', 'timeline', 'heatmap'] as const;

/** `tune plot history|importance|parallel|series|slice|edf|timeline|heatmap --study S --out f.svg|f.png`: the dashboard's charts as image files. */
function plotCommand() {
  return [
    'plot <kind>',
    "draw one of a study's charts to an SVG or PNG file, without a browser window (history, importance, parallel, a trial's metric series, slice, edf, timeline, heatmap of a param pair)",
    (b: Argv) =>
      b
        .option('storage', storageOption)
        .option('config', configOption)
        .positional('kind', { choices: PLOT_KINDS, demandOption: true, describe: 'which chart' })
        .option('study', { type: 'string', demandOption: true, describe: 'study name' })
        .option('out', { type: 'string', demandOption: true, describe: 'the file to write: *.svg, or *.png (rasterised by headless Chromium)' })
        .option('trial', { type: 'number', describe: 'for `series`: the trial number' })
        .option('pair', { type: 'string', describe: 'for `heatmap`: two params, x,y (default: the two most important)' })
        .option('exclude-pruned', { type: 'boolean', default: false, describe: 'leave PRUNED trials out' })
        .option('exclude-failed', { type: 'boolean', default: false, describe: 'leave FAIL trials out' })
        .option('log-y', { type: 'boolean', default: false, describe: 'history: a log value axis' })
        .option('width', { type: 'number', default: 900, describe: 'pixels' })
        .option('height', { type: 'number', default: 500, describe: 'pixels' })
        .check((x) => {
          if (!/\.(svg|png)$/i.test(String(x.out))) throw usage(`--out ${String(x.out)}: tune plot writes SVG or PNG; name the file *.svg or *.png`);
          if (x.pair !== undefined && String(x.pair).split(',').filter((p) => p.trim() !== '').length !== 2) throw usage(`--pair ${String(x.pair)}: name two params, x,y (e.g. --pair lr,dropout)`);
          for (const k of ['width', 'height'] as const) {
            const v = x[k] as number;
            if (!Number.isSafeInteger(v) || v < 50 || v > 10_000) throw usage(`--${k} must be an integer 50–10000 pixels, got ${v}`);
          }
          return true;
        }),
    async (a: { storage?: string; config?: string; kind: (typeof PLOT_KINDS)[number]; study: string; out: string; trial?: number; pair?: string; excludePruned: boolean; excludeFailed: boolean; logY: boolean; width: number; height: number }) => {
      const [{ studyPlotSvg }, { writeFileSync }] = await Promise.all([import('../../dashboard/static-plot.js'), import('node:fs')]);
      const pair = a.pair === undefined ? undefined : (a.pair.split(',').map((p) => p.trim()) as [string, string]);
      const svg = await withCommandStorage(a, (storage) => studyPlotSvg(storage, { ...a, pair, study: a.study }));
      if (/\.png$/i.test(a.out)) {
        const { writePng } = await import('../../dashboard/svg-to-png.js');
        await writePng(svg, a.out, a.width, a.height);
      } else {
        try {
          writeFileSync(a.out, svg);
        } catch (e) {
          throw new ConfigError(`--out ${a.out}: cannot write it (${e instanceof Error ? e.message : String(e)}); check that its folder exists and is writable`, { code: 'USAGE', cause: e });
        }
      }
      process.stderr.write(`wrote ${a.out} (${a.kind} of study '${a.study}')\n`);
    },
  ] as const;
}
