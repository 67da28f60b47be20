import type { Argv } from 'yargs';
import { BACKEND_CHOICES } from '../../ml/backend-choice.js';
import type { CliState } from '../state.js';
import { configOption, withCommandStorage, print, printJson, storageOption, withStoreOptions, usage } from './shared.js';

/** `tune export-baseline` and `tune train`: promote the best trial, then train from it. */
export function registerBaselineCommands(y: Argv, state: CliState): Argv {
  return y
    .command(
      'export-baseline',
      "write the best trial's params, merged into the full-training defaults, as a baseline config",
      (b) =>
        withStoreOptions(b)
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('out', { type: 'string', describe: 'output file (default studies/baselines/<study>.json)' }),
      async (a) => {
        const { buildBaseline, writeBaseline } = await import('../../baseline/baseline.js');
        await withCommandStorage(a, async (storage) => {
          const baseline = await buildBaseline(storage, a.study);
          const path = writeBaseline(a.out ?? `studies/baselines/${a.study}.json`, baseline);
          if (a.json) return printJson({ path, baseline });
          print(`wrote ${path}: trial #${baseline.provenance.trialNumber} of '${a.study}' (value ${baseline.provenance.value})`);
        });
      },
    )
    .command(
      'train',
      'full training of a subsystem from a baseline config (tune export-baseline)',
      (b) =>
        b
          .option('baseline', { type: 'string', describe: 'baseline file to train from, e.g. studies/baselines/optimizer.json (required)' })
          .option('config', configOption)
          .option('storage', storageOption)
          .option('epochs', { type: 'number', describe: "override the baseline's epochs" })
          .option('backend', { choices: BACKEND_CHOICES, default: 'auto', describe: 'TensorFlow.js backend' })
          .option('train-workers', {
            type: 'number',
            default: 1,
            describe: 'data-parallel worker threads: each trains on its share of every batch and gradients are averaged each step (same losses as 1 worker up to float rounding; cllm and optimizer)',
          })
          .option('json', { type: 'boolean', default: false, describe: 'print the run record as JSON' })
          .check((x) => {
            checkTrainFiles(x);
            checkTrainWorkerCount(x['train-workers']);
            if (x.epochs !== undefined && (!Number.isSafeInteger(x.epochs) || x.epochs < 1)) throw usage(`--epochs must be a positive integer, got ${String(x.epochs)}`);
            return true;
          }),
      async (a) => {
        const { trainCommand } = await import('./train-handler.js');
        state.exitCode = await trainCommand({ baselinePath: a.baseline as string, config: a.config, storage: a.storage, epochs: a.epochs, backend: a.backend, trainWorkers: a['train-workers'], json: a.json });
      },
    );
}

/** `--train-workers N`: an integer from 1 to 64 (the same rule the library applies, checked before anything loads). */
function checkTrainWorkerCount(n: unknown): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 64) {
    throw usage(`--train-workers: expected an integer from 1 to 64 (the worker threads that share each batch), got ${String(n)}`);
  }
}

/**
 * `--baseline` is required, and `--config` is the tuning config here as everywhere. A JSON file passed as
 * `--config` is a baseline given the way `tune train` used to take it: say so rather than load it as a config.
 */
function checkTrainFiles(x: { baseline?: string; config?: string }): void {
  const jsonConfig = x.config !== undefined && /\.json$/i.test(x.config);
  if (jsonConfig) {
    throw usage(
      `--config names the tuning config (tuning.config.ts) in \`tune train\` as in every command, and ${x.config} looks like a baseline: ` +
        `pass it as \`tune train --baseline ${x.config}\``,
    );
  }
  if (x.baseline === undefined) {
    throw usage('--baseline FILE is required by `tune train`: the baseline to train from (write one with `tune export-baseline --study <name>`)');
  }
}
