/** Pruners: pure functions of a study's trials that decide whether to stop a trial early. */
export { NopPruner, type Pruner, type PrunerContext } from './pruner.js';
export { MedianPruner, type MedianPrunerOptions } from './median.js';
export { PercentilePruner, type PercentilePrunerOptions, type PercentileRule, type PercentileRuleOptions } from './percentile.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions, type HalvingRule } from './successive-halving.js';
export { HyperbandPruner, type HyperbandPrunerOptions, type HyperbandLayout } from './hyperband.js';
export { createPruner, type PrunerOptionsByName } from './create-pruner.js';
export { isPrunerName, PRUNER_NAMES, type PrunerName } from './names.js';
