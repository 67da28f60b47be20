import type { Attrs, FrozenRun, StudyDirection } from '../core/frozen.js';
import type { ObjectiveContext } from '../core/objective-context.js';
import type { SearchSpace } from '../space/distributions.js';
import type { ReplicaJob } from './replica-types.js';

/**
 * What every tuning trial of a subsystem trains under: `epochs` epochs of at most `batchCap` batches each
 * (null: whole epochs). Filled from the CLI, tuning.config.ts and the subsystem's defaults once, by
 * `trainingBudget`; the cap itself is applied in one place, the training loop (ml/train-loop.ts).
 */
export interface TrainingBudget {
  readonly epochs: number;
  readonly batchCap: number | null;
}

/** Full-training defaults: the config a baseline starts from, `epochs` at least. */
export type FullDefaults = Readonly<Record<string, number | string | boolean | null>> & { readonly epochs: number };

/** A flag of a subsystem-contributed command: the part of a yargs option the CLI passes through. */
export interface CommandOption {
  readonly type: 'number' | 'string' | 'boolean';
  readonly describe: string;
  readonly default?: number | string | boolean;
  readonly choices?: readonly string[];
  readonly demandOption?: boolean;
}

/** A full-training run found by `CommandIo.openRun`, with the folders its files live in. */
export interface OpenedRun {
  readonly run: FrozenRun;
  /** `<studiesDir>/<study>/runs/<runId>/`: the run's checkpoints (it may be missing for a run that failed early). */
  readonly checkpointDir: string;
  /** Datasets root of the config the command ran with (`datasets/` by default). */
  readonly datasetsDir: string;
  /** Studies root of that config (`studies/` by default). */
  readonly studiesDir: string;
}

/** How a contributed command talks to the user; the CLI provides it (stdout for results, stderr for progress). */
export interface CommandIo {
  /** `--json` was given: print one JSON value with `printJson`, nothing else on stdout. */
  readonly json: boolean;
  print(text: string): void;
  printJson(value: unknown): void;
  info(message: string): void;
  /**
   * The full-training run `runId` of the store named by the command's `--storage`/`--config` (the CLI adds both
   * flags to every contributed command), opened read-only. Throws the store's StorageError for an unknown id, and a
   * ConfigError (USAGE) when the run belongs to another subsystem than `subsystem`.
   */
  openRun(runId: number, subsystem: string): Promise<OpenedRun>;
}

/** A command a subsystem adds to `tune` (e.g. the optimizer's `tune estimate`). */
export interface SubsystemCommand {
  /** The word after `tune`. */
  readonly name: string;
  readonly describe: string;
  readonly options: Readonly<Record<string, CommandOption>>;
  /** Arguments arrive parsed and checked against `options`; a bad value is a ConfigError (exit 2). */
  run(args: Readonly<Record<string, unknown>>, io: CommandIo): Promise<void>;
}

/** Options every subsystem's dataset preparation gets. */
export interface PrepareOptions {
  /** Root for datasets, normally `<repo>/datasets`; the subsystem uses `<root>/<name>/`. */
  readonly datasetsDir: string;
  readonly seed: number;
  /** The flags of `tune datasets prepare <name>` the subsystem declared in `prepareOptions`, parsed. */
  readonly args?: Readonly<Record<string, unknown>>;
  readonly log: (message: string, data?: Attrs) => void;
}

/** What `prepare` did: kept the dataset that was there, or built one (and why). */
export interface PrepareResult {
  readonly dir: string;
  readonly generated: boolean;
  readonly reason: string | null;
}

export interface SubsystemDatasets {
  /**
   * Make sure the subsystem's dataset exists under `<datasetsDir>/<name>/`, building the default one when it is
   * missing or invalid. Idempotent: a second call keeps what the first made. `tune` calls it before the first
   * trial, `tune train` before full training, and `tune datasets prepare <name>` on demand.
   */
  prepare(opts: PrepareOptions): Promise<PrepareResult>;
  /** Extra flags of `tune datasets prepare <name>` (e.g. `--documents DIR`). */
  readonly prepareOptions?: Readonly<Record<string, CommandOption>>;
  /** `tune datasets generate <name>`, for subsystems whose data is generated at a size the user picks. */
  readonly generate?: Omit<SubsystemCommand, 'name'>;
}

/** A tuning trial's context: the objective's, with the budget typed and the datasets' root. */
export interface SubsystemTrialContext extends Omit<ObjectiveContext, 'budget'> {
  readonly budget: TrainingBudget;
  readonly datasetsDir: string;
  /** `<studiesDir>/<study>/trials/<number>/`, for files a trial keeps (created by the subsystem when it needs it). */
  readonly trialDir?: string;
  /**
   * Data-parallel worker threads the trial may train on (this one and idle worker slots the runner reserved for
   * it at the end of a study, runner/train-slots.ts); set only for a subsystem with `trainReplica`. Absent: 1.
   */
  readonly trainWorkers?: number;
}

/** Context of a full-training run (tune train): like a trial's, metrics and logs go to the run's record. */
export interface FullTrainContext extends Omit<SubsystemTrialContext, 'trialNumber' | 'trialDir' | 'report' | 'shouldPrune' | 'prune' | 'budget' | 'trainWorkers'> {
  /** Where checkpoints go: `studies/<study>/runs/<runId>/`. */
  readonly checkpointDir: string;
  /** Data-parallel worker threads sharing each batch (`tune train --train-workers N`); absent: 1. */
  readonly trainWorkers?: number;
}

export interface FullTrainResult {
  /** The final value of the subsystem's metric (on validation). */
  readonly value: number;
  /** Test-set results and anything else worth keeping on the run (MAE, R², …). */
  readonly result: Attrs;
}

/**
 * One training system parzen tunes. Each lives in `src/subsystems/<name>/`, default-exports one of these
 * (`export default defineSubsystem({…})`) and has one line in `registry.ts`. The module must stay light: heavy
 * code (TensorFlow.js, h5wasm, node-seal, snarkjs) is imported inside the functions, never at module load,
 * because the CLI loads every subsystem's module to build `tune --help`.
 */
export interface Subsystem {
  readonly name: string;
  readonly description: string;
  /** The value the objective returns (e.g. `val_loss`) and which way is better. */
  readonly metric: string;
  readonly direction: StudyDirection;
  readonly defaultSpace: SearchSpace;
  readonly defaults: { readonly tuning: TrainingBudget; readonly full: FullDefaults };
  readonly datasets: SubsystemDatasets;
  /** Commands the subsystem adds to `tune`. */
  readonly commands?: readonly SubsystemCommand[];
  /**
   * One tuning trial: train under `ctx.budget`, report per-epoch validation values, honour `ctx.shouldPrune()`
   * (`ctx.prune()`, which throws TrialPruned), return the final metric. `params` holds the sampled values merged over `defaults.full`.
   */
  objective(params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext): Promise<number>;
  /**
   * Checks a full-training config (a baseline's `config`, merged over `defaults.full` by the subsystem) without
   * loading data or TensorFlow.js, and throws a ConfigError naming the key and the fix. Full training calls it
   * before preparing datasets, so a bad value fails in a second rather than after the data is generated.
   * Optional: without it a bad value surfaces when `fullTrain` parses the config. The kit's
   * `defineTrainingSubsystem` provides it from `parseHyperparams`.
   */
  validateConfig?(config: Readonly<Record<string, unknown>>): void;
  /** Full training from a baseline config: all the data, the config's epochs, checkpoints, test results. */
  fullTrain(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult>;
  /**
   * One data-parallel replica other than the leader, on its own worker thread (subsystems/data-parallel.ts);
   * the kit's `defineTrainingSubsystem` provides it for a subsystem that declares `dataParallel` (its engine splits
   * batches: `trainShares`). Absent: the subsystem trains on one worker only, in `tune train` and in tuning trials.
   */
  trainReplica?(job: ReplicaJob): Promise<void>;
}
