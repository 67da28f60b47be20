import type { Argv } from 'yargs';
import { SAMPLER_NAMES } from '../../samplers/names.js';
import type { CliState } from '../state.js';
import { configOption, jsonOption, outputFormat, storageOption, usage, withOutputOptions, withStoreOptions } from './shared.js';

const DIRECTIONS = ['minimize', 'maximize'] as const;
const TELL_STATES = ['COMPLETE', 'PRUNED', 'FAIL'] as const;
const studyOption = { type: 'string', demandOption: true, describe: 'study name' } as const;

/**
 * Study management, as Optuna's CLI has it: create-study, delete-study, rename-study, copy-study, ask, tell and
 * best-trials. Only yargs is loaded here (`tune --help` stays fast); each handler is imported when it runs.
 */
export function registerManageCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'create-study',
      'create an empty study (runs, ask and tell then add trials to it)',
      (b) =>
        withStoreOptions(b)
          .option('study', studyOption)
          .option('direction', { choices: DIRECTIONS, describe: 'minimize (default) or maximize' })
          .option('skip-if-exists', { type: 'boolean', default: false, describe: 'accept a study of that name that already exists' }),
      async (a) => {
        const { createStudyCommand } = await import('./manage-handlers.js');
        await createStudyCommand({ ...a, skipIfExists: a['skip-if-exists'] });
      },
    )
    .command(
      'delete-study',
      'delete a study and all its trials (needs --yes)',
      (b) =>
        withStoreOptions(b)
          .option('study', studyOption)
          .option('yes', { type: 'boolean', default: false, describe: 'confirm: the trials are removed for good' }),
      async (a) => {
        const { deleteStudyCommand } = await import('./manage-handlers.js');
        await deleteStudyCommand(a);
      },
    )
    .command(
      'rename-study',
      'give a study a new name, keeping its trials',
      (b) =>
        withStoreOptions(b)
          .option('study', studyOption)
          .option('to', { type: 'string', demandOption: true, describe: 'the new name' }),
      async (a) => {
        const { renameStudyCommand } = await import('./manage-handlers.js');
        await renameStudyCommand(a);
      },
    )
    .command(
      'copy-study',
      'copy a study with all its trials, metrics and logs into another store (or under another name)',
      (b) =>
        b
          .option('study', studyOption)
          .option('from-storage', { type: 'string', demandOption: true, describe: 'store to copy from, e.g. sqlite:studies/tuning.db (read only)' })
          .option('to-storage', { type: 'string', demandOption: true, describe: 'store to copy into (created if missing)' })
          .option('to-study', { type: 'string', describe: 'name of the copy (default: the same name)' })
          .option('json', jsonOption),
      async (a) => {
        const { copyStudyCommand } = await import('./manage-handlers.js');
        await copyStudyCommand({ study: a.study, fromStorage: a['from-storage'], toStorage: a['to-storage'], toStudy: a['to-study'], json: a.json });
      },
    )
    .command('storage', 'work on whole stores: `tune storage copy` moves a study between them', (b) =>
      b
        .command(
          'copy',
          'copy a study with everything it holds from one store to another, e.g. --from sqlite:tuning.db --to postgresql://user@host/db (copy-study under another name)',
          (c) =>
            c
              .option('study', studyOption)
              .option('from', { type: 'string', demandOption: true, describe: 'store to copy from (read only), e.g. sqlite:studies/tuning.db' })
              .option('to', { type: 'string', demandOption: true, describe: 'store to copy into (created if missing), e.g. postgresql://user@host/db' })
              .option('to-study', { type: 'string', describe: 'name of the copy (default: the same name)' })
              .option('json', jsonOption),
          async (a) => {
            const { copyStudyCommand } = await import('./manage-handlers.js');
            await copyStudyCommand({ study: a.study, fromStorage: a.from, toStorage: a.to, toStudy: a['to-study'], json: a.json });
          },
        )
        .demandCommand(1, 'name what to do: `tune storage copy --study S --from URL --to URL`'),
    )
    .command(
      'ask',
      'start a trial of a study and print its number and params as JSON (evaluate it, then `tune tell`)',
      (b) =>
        b
          .option('study', studyOption)
          .option('space', { type: 'string', describe: 'search space as JSON, parzen\'s or Optuna\'s form (default: the study\'s trials\' params)' })
          .option('sampler', { choices: SAMPLER_NAMES, default: 'tpe' as const, describe: 'sampler' })
          .option('seed', { type: 'number', describe: "sampler seed (default: the study's, else random)" })
          .option('storage', storageOption)
          .option('config', configOption)
          .check((x) => {
            if (x.seed !== undefined && !Number.isSafeInteger(x.seed)) throw usage(`--seed must be an integer, got ${String(x.seed)}`);
            return true;
          }),
      async (a) => {
        const { askCommand } = await import('./ask-tell.js');
        await askCommand(a);
      },
    )
    .command(
      'tell',
      'finish a trial started with `tune ask`: --value V (COMPLETE), or --state PRUNED or FAIL',
      (b) =>
        withStoreOptions(b)
          .option('study', studyOption)
          .option('trial', { type: 'number', demandOption: true, describe: 'trial number, as `tune ask` printed it' })
          .option('value', { type: 'string', describe: 'objective value: a number, or inf (write --value=-inf for minus infinity)' })
          .option('state', { choices: TELL_STATES, describe: 'COMPLETE (default with --value), PRUNED or FAIL' })
          .option('skip-if-finished', { type: 'boolean', default: false, describe: 'a trial that is already finished is left as it is, exit 0' })
          .check((x) => {
            if (!Number.isSafeInteger(x.trial) || x.trial < 0) throw usage(`--trial must be a trial number (0, 1, …), got ${String(x.trial)}`);
            return true;
          }),
      async (a) => {
        const { tellCommand } = await import('./ask-tell.js');
        await tellCommand({ ...a, skipIfFinished: a['skip-if-finished'] });
      },
    )
    .command(
      'best-trials',
      'list the best trials of a study, best first (Optuna\'s name; --json is always a list)',
      (b) =>
        withOutputOptions(b)
          .option('study', studyOption)
          .option('top', { type: 'number', default: 1, describe: 'how many of the best trials' })
          .check((x) => {
            if (!Number.isSafeInteger(x.top) || x.top < 1) throw usage(`--top must be a positive integer, got ${String(x.top)}`);
            return true;
          }),
      async (a) => {
        const { bestTrialsCommand } = await import('./manage-handlers.js');
        await bestTrialsCommand({ ...a, format: outputFormat(a) });
      },
    );
}
