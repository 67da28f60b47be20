import { ConfigError } from '../errors.js';
import { HyperbandPruner, type HyperbandPrunerOptions } from './hyperband.js';
import { MedianPruner, type MedianPrunerOptions } from './median.js';
import { PercentilePruner, type PercentilePrunerOptions } from './percentile.js';
import { isPrunerName, PRUNER_NAMES, type PrunerName } from './names.js';
import { NopPruner, type Pruner } from './pruner.js';
import { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './successive-halving.js';

/** The options each `--pruner` name takes. */
export interface PrunerOptionsByName extends Record<PrunerName, unknown> {
  none: Readonly<Record<string, never>>;
  median: MedianPrunerOptions;
  percentile: PercentilePrunerOptions;
  asha: SuccessiveHalvingPrunerOptions;
  hyperband: HyperbandPrunerOptions;
}



/**
 * Builds a pruner by name, for the CLI's `--pruner` and for `tuning.config.ts`. Names and options are
 * validated at run time, since they arrive from the command line or a config file: an unknown name or option,
 * or a bad value, throws a ConfigError that names it.
 *
 * @example
 * const pruner = createPruner('median', { nStartupTrials: 3 });
 * const asha = createPruner('asha', { minResource: 1, reductionFactor: 3 });
 */
export function createPruner<N extends PrunerName>(name: N, options?: PrunerOptionsByName[N]): Pruner;
export function createPruner(name: string, options?: unknown): Pruner;
export function createPruner(name: string, options?: unknown): Pruner {
  if (!isPrunerName(name)) {
    throw new ConfigError(`--pruner: unknown pruner '${name}'; choose one of ${PRUNER_NAMES.join(', ')}`, { code: 'USAGE' });
  }
  switch (name) {
    case 'none':
      if (options !== undefined && (typeof options !== 'object' || options === null || Object.keys(options).length > 0)) {
        throw new ConfigError("pruner 'none' takes no options: remove them, or choose another --pruner");
      }
      return new NopPruner();
    case 'median':
      return new MedianPruner(options as MedianPrunerOptions);
    case 'percentile':
      if (options === undefined) {
        throw new ConfigError("pruner 'percentile' needs its `percentile` option, e.g. { percentile: 25 }");
      }
      return new PercentilePruner(options as PercentilePrunerOptions);
    case 'asha':
      return new SuccessiveHalvingPruner(options as SuccessiveHalvingPrunerOptions);
    case 'hyperband':
      return new HyperbandPruner(options as HyperbandPrunerOptions);
  }
}
