import type { Distribution } from '../space/distributions.js';
import { toInternal } from '../space/distributions.js';
import type { FrozenTrial } from '../core/frozen.js';

/**
 * PED-ANOVA works on a discretised domain (Watanabe et al. 2023, §4): a numeric range becomes `nSteps` evenly
 * spaced grid points (in log space for `log: true`; fewer for a stepped range with fewer points), a categorical
 * its choices. Each trial falls on the grid point nearest to its value.
 */
export function gridSize(d: Distribution, nSteps: number): number {
  if (d.kind === 'categorical') return d.choices.length;
  if (d.kind === 'int' && d.log) return Math.min(Math.ceil(Math.log2(d.high - d.low + 1)) + 1, nSteps);
  if (d.step !== null && !d.log) return Math.min(Math.round((d.high - d.low) / d.step) + 1, nSteps);
  return nSteps;
}

/** How many of `trials` fall on each grid point of parameter `name` (every trial must have it). */
export function gridCounts(trials: readonly FrozenTrial[], name: string, d: Distribution, nSteps: number): Float64Array {
  const size = gridSize(d, nSteps);
  const counts = new Float64Array(size);
  for (const t of trials) counts[gridIndex(d, toInternal(d, t.params[name] ?? null), size)]++;
  return counts;
}

function gridIndex(d: Distribution, v: number, size: number): number {
  if (d.kind === 'categorical') return v;
  if (size === 1) return 0;
  const scale = d.log ? Math.log : (x: number): number => x;
  const lo = scale(d.low);
  const hi = scale(d.high);
  const i = Math.round(((scale(v) - lo) / (hi - lo)) * (size - 1));
  return Math.min(size - 1, Math.max(0, i));
}
