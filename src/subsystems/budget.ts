import { ConfigError } from '../errors.js';
import type { Budget } from '../core/frozen.js';
import type { TrainingBudget } from './subsystem.js';

/**
 * The typed budget of a subsystem trial: what was set (CLI, config, the stored trial), the subsystem's tuning
 * defaults for the rest. A value that is set but not a positive integer (or null for the cap) is a ConfigError.
 * @example trainingBudget({ epochs: 1 }, { epochs: 2, batchCap: 50 }) // { epochs: 1, batchCap: 50 }
 */
export function trainingBudget(set: Budget | Partial<TrainingBudget>, defaults: TrainingBudget): TrainingBudget {
  const epochs = set['epochs'] ?? defaults.epochs;
  const batchCap = set['batchCap'] === undefined ? defaults.batchCap : set['batchCap'];
  if (!Number.isSafeInteger(epochs) || (epochs as number) < 1) {
    throw new ConfigError(`budget: epochs must be a positive integer, got ${String(epochs)}; fix --epochs or tuning.epochs`, { code: 'USAGE' });
  }
  if (batchCap !== null && (!Number.isSafeInteger(batchCap) || batchCap < 1)) {
    throw new ConfigError(`budget: batchCap must be a positive integer or null, got ${String(batchCap)}; fix --batch-cap or tuning.batchCap`, { code: 'USAGE' });
  }
  return { epochs: epochs as number, batchCap };
}
