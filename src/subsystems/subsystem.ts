import type { SearchSpace } from '../space/distributions.js';
import type { Attrs, StudyDirection } from '../core/frozen.js';
import type { ObjectiveContext } from '../study/objective.js';

/** Options every subsystem's dataset preparation gets. */
export interface PrepareOptions {
  /** Root for datasets, normally `<repo>/datasets`; the subsystem uses `<root>/<name>/`. */
  readonly datasetsDir: string;
  readonly seed: number;
  readonly log: (message: string, data?: Attrs) => void;
}

/** Context of a full-training run (tune train): like a trial's, metrics go to the run's record. */
export interface FullTrainContext extends Omit<ObjectiveContext, 'trialNumber' | 'report' | 'shouldPrune'> {
  /** Where checkpoints go: `studies/<study>/runs/<runId>/`. */
  readonly checkpointDir: string;
  readonly datasetsDir: string;
}

export interface FullTrainResult {
  /** The final value of the subsystem's metric (on validation). */
  readonly value: number;
  /** Test-set results and anything else worth keeping on the run (MAE, R², …). */
  readonly result: Attrs;
}

/**
 * One training system parzen tunes. Each lives in `src/subsystems/<name>/` and exports one of these; the
 * heavy code (TensorFlow.js, h5wasm, node-seal) is imported inside the functions, never at module load.
 */
export interface Subsystem {
  readonly name: string;
  readonly description: string;
  /** The value the objective returns (e.g. `val_loss`) and which way is better. */
  readonly metric: string;
  readonly direction: StudyDirection;
  readonly defaultSpace: SearchSpace;
  readonly defaults: {
    readonly tuning: { readonly epochs: number; readonly batchCap: number | null };
    readonly full: Readonly<Record<string, number | string | boolean | null>> & { readonly epochs: number };
  };
  /** Make sure the datasets exist (generate a default-sized one when missing). Idempotent. */
  prepare(opts: PrepareOptions): Promise<void>;
  /**
   * One tuning trial: train under `ctx.budget` (epochs, batchCap), report per-epoch validation values, return
   * the final metric. `params` holds the sampled values merged over `defaults.full` where unsampled.
   */
  objective(params: Readonly<Record<string, unknown>>, ctx: ObjectiveContext & { readonly datasetsDir: string }): Promise<number>;
  /** Full training from a baseline config: all the data, the baseline's epochs, checkpoints, test results. */
  fullTrain(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult>;
}
