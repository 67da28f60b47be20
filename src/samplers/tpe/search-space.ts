import type { Distribution, SearchSpace } from '../../space/distributions.js';
import { distributionsEqual, isSingle } from '../../space/distributions.js';
import type { FrozenTrial } from '../../study/frozen.js';

/**
 * The parameters every COMPLETE or PRUNED trial has, with the same distribution in all of them (Optuna's
 * `IntersectionSearchSpace(include_pruned=True)`), minus single-valued ones. Names come out sorted so the
 * joint sample does not depend on the order parameters were suggested in.
 */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): SearchSpace {
  let space: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED') continue;
    if (space === null) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const other = t.distributions[name];
      if (other === undefined || !distributionsEqual(d, other)) space.delete(name);
    }
    if (space.size === 0) break;
  }
  const out: Record<string, Distribution> = {};
  if (space === null) return out;
  for (const name of [...space.keys()].sort()) {
    const d = space.get(name) as Distribution;
    if (!isSingle(d)) out[name] = d;
  }
  return out;
}
