import type { FrozenTrial, StudyDirection } from '../core/frozen.js';

/**
 * A pruner is a pure function of the study's trials: given the trial being run (its intermediate values so
 * far) and a snapshot of every trial of the study, decide whether to stop it now.
 */
export interface PrunerContext {
  readonly direction: StudyDirection;
  readonly trials: readonly FrozenTrial[];
}

export interface Pruner {
  /** `trial.intermediateValues` holds every value reported so far; `step` is the latest one. */
  prune(ctx: PrunerContext, trial: FrozenTrial, step: number): boolean;
}

/** Never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
