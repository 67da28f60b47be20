import type { PrunerName } from '../pruners/names.js';
import type { SamplerName } from '../samplers/names.js';
import type { SearchSpace } from '../space/distributions.js';

export type { PrunerName, SamplerName };
import type { StudyDirection } from '../core/frozen.js';


export interface TuningSettings {
  /** Trials per `tune` run. */
  readonly trials?: number;
  /** Epochs per tuning trial (the fidelity budget). */
  readonly epochs?: number;
  /** Maximum batches per epoch while tuning; null = uncapped. */
  readonly batchCap?: number | null;
  readonly seed?: number;
  readonly sampler?: SamplerName;
  readonly pruner?: PrunerName;
}

export interface SubsystemConfig<S extends SearchSpace = SearchSpace> {
  /** Name of the value being optimised, e.g. `val_loss`. */
  readonly metric?: string;
  readonly direction?: StudyDirection;
  readonly tuning?: TuningSettings;
  /** Settings of full training from the promoted trial; `epochs` at least. */
  readonly full?: Readonly<Record<string, number | string | boolean | null>>;
  /** Search space; replaces the subsystem's default space when given. */
  readonly space?: S;
}

export interface ParzenConfig {
  /** `sqlite:studies/tuning.db` (default) or `memory:`; `postgresql://…` is planned. */
  readonly storage?: string;
  /** Subsystem `tune` runs when given neither --subsystem nor --objective; defaults to the first one listed. */
  readonly defaultSubsystem?: string;
  /** Where datasets live (default `datasets/`). */
  readonly datasetsDir?: string;
  /** Where full-training checkpoints and baselines live (default `studies/`); logs sit beside the store instead. */
  readonly studiesDir?: string;
  readonly subsystems?: Readonly<Record<string, SubsystemConfig>>;
}

/**
 * Typed configuration for `tuning.config.ts`.
 * @example
 * export default defineConfig({
 *   storage: 'sqlite:studies/tuning.db',
 *   subsystems: {
 *     optimizer: {
 *       tuning: { trials: 12, epochs: 2, batchCap: 50, seed: 42 },
 *       space: { num_layers: int(3, 8), learning_rate: float(1e-5, 5e-4, { log: true }) },
 *     },
 *   },
 * });
 */
export function defineConfig<const C extends ParzenConfig>(config: C): C {
  return config;
}
