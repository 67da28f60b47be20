import type { FrozenTrial, StudyDirection } from './frozen.js';

/** COMPLETE trials ordered best first (ties by trial number). */
export function rankCompleteTrials(trials: readonly FrozenTrial[], direction: StudyDirection): FrozenTrial[] {
  const sign = direction === 'minimize' ? 1 : -1;
  return trials
    .filter((t) => t.state === 'COMPLETE' && t.value !== null)
    .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
}

/** Whether `a` is strictly better than `b` in `direction`. */
export function isBetter(a: number, b: number, direction: StudyDirection): boolean {
  return direction === 'minimize' ? a < b : a > b;
}
