import type { Distribution, SearchSpace } from '../../space/distributions.js';
import { distributionsEqual, isSingle } from '../../space/distributions.js';
import { type FrozenTrial, isFinished } from '../../core/frozen.js';

type Space = Map<string, Distribution>;

/** Narrows `space` to what trial `t` shares with it; only COMPLETE and PRUNED trials narrow. */
function fold(space: Space | null, t: FrozenTrial): Space | null {
  if (t.state !== 'COMPLETE' && t.state !== 'PRUNED') return space;
  if (space === null) return new Map(Object.entries(t.distributions));
  for (const [name, d] of space) {
    const other = t.distributions[name];
    if (other === undefined || !distributionsEqual(d, other)) space.delete(name);
  }
  return space;
}

/** Sorted names, single-valued distributions left out. */
function toSearchSpace(space: Space | null): SearchSpace {
  const out: Record<string, Distribution> = {};
  if (space === null) return out;
  for (const name of [...space.keys()].sort()) {
    const d = space.get(name) as Distribution;
    if (!isSingle(d)) out[name] = d;
  }
  return out;
}

/**
 * The parameters every COMPLETE or PRUNED trial has, with the same distribution in all of them (Optuna's
 * `IntersectionSearchSpace(include_pruned=True)`), minus single-valued ones. Names come out sorted so the
 * joint sample does not depend on the order parameters were suggested in.
 */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): SearchSpace {
  let space: Space | null = null;
  for (const t of trials) {
    space = fold(space, t);
    if (space !== null && space.size === 0) break;
  }
  return toSearchSpace(space);
}

/**
 * `intersectionSearchSpace`, incrementally (Optuna's IntersectionSearchSpace keeps the same cursor): the leading
 * run of finished trials never changes, so its intersection is kept and only the trials after it are folded
 * in on the next call. A trial list that does not continue the one seen before (another study, a trial
 * missing) starts over.
 */
export class IntersectionSearchSpaceCache {
  /** trials[0, cursor) are finished and folded into `space`. */
  #cursor = 0;
  #last: { studyId: number; trialId: number } | null = null;
  #space: Space | null = null;

  get(trials: readonly FrozenTrial[]): SearchSpace {
    if (!this.#continues(trials)) {
      this.#cursor = 0;
      this.#last = null;
      this.#space = null;
    }
    let space = this.#space === null ? null : new Map(this.#space);
    let committed = false;
    for (let i = this.#cursor; i < trials.length; i++) {
      if (!committed && !isFinished(trials[i].state)) {
        this.#commit(trials, i, space);
        committed = true;
      }
      space = fold(space, trials[i]);
    }
    if (!committed) this.#commit(trials, trials.length, space);
    return toSearchSpace(space);
  }

  #continues(trials: readonly FrozenTrial[]): boolean {
    if (this.#cursor === 0) return true;
    if (this.#cursor > trials.length || this.#last === null) return false;
    const t = trials[this.#cursor - 1];
    return t.studyId === this.#last.studyId && t.trialId === this.#last.trialId;
  }

  #commit(trials: readonly FrozenTrial[], cursor: number, space: Space | null): void {
    this.#cursor = cursor;
    this.#space = space === null ? null : new Map(space);
    const t = cursor > 0 ? trials[cursor - 1] : null;
    this.#last = t === null ? null : { studyId: t.studyId, trialId: t.trialId };
  }
}
