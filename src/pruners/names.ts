/** The pruner names `--pruner` and `tuning.config.ts` accept; `createPruner` builds each. Loads nothing. */
export const PRUNER_NAMES = ['none', 'median', 'percentile', 'asha', 'hyperband'] as const;

export type PrunerName = (typeof PRUNER_NAMES)[number];

export function isPrunerName(name: unknown): name is PrunerName {
  return typeof name === 'string' && (PRUNER_NAMES as readonly string[]).includes(name);
}
