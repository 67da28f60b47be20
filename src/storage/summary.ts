import type { FrozenStudy, StudySummary, TrialState } from '../core/frozen.js';

/** Zeroed per-state counters, so every state is present in a summary. */
export function emptyCounts(): Record<TrialState, number> {
  return { WAITING: 0, RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0 };
}

/**
 * Builds a StudySummary. `best` is the best COMPLETE trial: the lowest (minimize) or highest (maximize)
 * value, the lower trial number on ties.
 */
export function summarize(
  study: FrozenStudy,
  counts: Record<TrialState, number>,
  best: { readonly number: number; readonly value: number } | undefined,
): StudySummary {
  const nTrials = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.freeze({
    ...study,
    nTrials,
    counts: Object.freeze(counts),
    bestValue: best?.value ?? null,
    bestTrialNumber: best?.number ?? null,
  });
}
