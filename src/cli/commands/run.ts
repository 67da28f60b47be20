import type { Argv } from 'yargs';
import { BACKEND_CHOICES } from '../../ml/backend-choice.js';
import { PRUNER_NAMES } from '../../pruners/names.js';
import { SAMPLER_NAMES } from '../../samplers/names.js';
import { parseTrialTrainWorkers } from '../../runner/train-slots.js';
import type { CliState } from '../state.js';
import { configOption, jsonOption, storageOption, usage } from './shared.js';

/** `tune [run]`: the default command; `tune worker`: the same, as one of many processes sharing the study. */
export function registerRunCommand(y: Argv, state: CliState): Argv {
  return registerRun(registerRun(y, state, false), state, true);
}

function registerRun(y: Argv, state: CliState, shared: boolean): Argv {
  return y.command(
    shared ? 'worker' : ['run', '$0'],
    shared
      ? 'run trials of a shared study with any number of other workers (on any hosts, e.g. --storage postgresql://…) until it has --trials COMPLETE'
      : 'run trials of a study (the default command)',
    (b) =>
      b
        .option('subsystem', { type: 'string', describe: "subsystem to tune (default: the config's default, else optimizer)" })
        .option('objective', { type: 'string', describe: 'objective module: export default defineObjective({ space, run })' })
        .option('study', { type: 'string', describe: 'study name (default: the subsystem or objective file name)' })
        .option('trials', { type: 'number', describe: 'trials to run (with --resume: total COMPLETE trials wanted)' })
        .option('storage', storageOption)
        .option('config', configOption)
        .option('seed', { type: 'number', describe: 'seed for sampling and for each trial (default: the study’s, else random)' })
        .option('sampler', { choices: SAMPLER_NAMES, describe: 'sampler (default auto: the GP for ≤ 300 trials over 4–20 parameters, isotropic below 20 trials; TPE otherwise)' })
        .option('pruner', { choices: PRUNER_NAMES, describe: 'pruner (default none)' })
        .option('direction', { choices: ['minimize', 'maximize'] as const, describe: 'override the objective’s direction' })
        .option('resume', { type: 'boolean', default: false, describe: 'continue the study until it has --trials COMPLETE trials' })
        .option('epochs', { type: 'number', describe: 'epochs per trial (subsystems)' })
        .option('batch-cap', { type: 'number', describe: 'max batches per epoch while tuning (subsystems)' })
        .option('backend', { choices: BACKEND_CHOICES, default: 'auto', describe: 'TensorFlow.js backend' })
        .option('workers', { type: 'number', describe: 'worker threads running trials (default: available parallelism; 0 = in this process)' })
        .option('trial-timeout', { type: 'number', describe: 'fail a trial whose objective runs longer than this many seconds (starting its worker and importing its module get at least a minute more)' })
        .option('retries', { type: 'number', default: 0, describe: 'retry a failed trial (same params, linked by retryOf) up to N times, with exponential backoff' })
        .option('deterministic', {
          type: 'boolean',
          describe: 'sample in synchronous batches so a seeded study is identical for any worker count (default: on when --seed is given)',
        })
        .option('deterministic-batch', { type: 'number', default: 4, describe: 'trials per synchronous batch in deterministic mode' })
        .option('trial-train-workers', {
          type: 'string',
          default: 'auto',
          describe:
            'data-parallel trials: when fewer trials are left to start than workers are idle (the last trial of a study), a trial of a subsystem ' +
            'that splits its batches (optimizer, cllm) trains on the idle workers; auto: as many as no later trial needs, N: at most N, 1: off ' +
            '(deterministic mode and tune worker: always 1)',
        })
        .option('grace', { type: 'number', default: 10, describe: 'seconds running trials get to finish after SIGINT/SIGTERM before they are stopped' })
        .option('json', jsonOption)
        .check((a) => {
          for (const k of ['workers', 'retries'] as const) {
            const v = a[k];
            if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw usage(`--${k} must be a non-negative integer, got ${String(v)}`);
          }
          for (const k of ['trial-timeout', 'grace'] as const) {
            const v = a[k];
            if (v !== undefined && !(typeof v === 'number' && v > 0)) throw usage(`--${k} must be a positive number of seconds, got ${String(v)}`);
          }
          if (!Number.isSafeInteger(a['deterministic-batch']) || a['deterministic-batch'] < 1) {
            throw usage(`--deterministic-batch must be a positive integer, got ${String(a['deterministic-batch'])}`);
          }
          for (const k of ['trials', 'epochs', 'batch-cap'] as const) {
            const v = a[k];
            if (v !== undefined && (!Number.isSafeInteger(v) || v < (k === 'trials' ? 0 : 1))) {
              throw usage(`--${k} must be a ${k === 'trials' ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
            }
          }
          if (a.seed !== undefined && !Number.isSafeInteger(a.seed)) throw usage(`--seed must be an integer, got ${String(a.seed)}`);
          parseTrialTrainWorkers(a['trial-train-workers']);
          return true;
        }),
    async (a) => {
      const { runCommand } = await import('./run-handler.js');
      state.exitCode = await runCommand({
        subsystem: a.subsystem,
        objective: a.objective,
        study: a.study,
        trials: a.trials,
        storage: a.storage,
        config: a.config,
        seed: a.seed,
        sampler: a.sampler,
        pruner: a.pruner,
        direction: a.direction,
        resume: a.resume,
        shared,
        epochs: a.epochs,
        batchCap: a['batch-cap'],
        backend: a.backend,
        workers: a.workers,
        trialTimeoutMs: a['trial-timeout'] === undefined ? null : a['trial-timeout'] * 1000,
        retries: a.retries,
        deterministic: a.deterministic,
        nTrialsPerBatch: a['deterministic-batch'],
        trialTrainWorkers: parseTrialTrainWorkers(a['trial-train-workers']),
        graceMs: a.grace * 1000,
        json: a.json,
        argv: state.argv,
      });
    },
  );
}
