/**
 * Which acquisition candidates the GP may not propose (`GPSamplerOptions.avoidRepeats`): none, a configuration
 * already evaluated (equal on every coordinate after rounding onto the int / step / categorical grids — a
 * deterministic objective tells nothing new there), or any point nearer an evaluated one than half the median
 * nearest-neighbour spacing of the evaluated points. The last is for small budgets: a move shorter than half the
 * typical spacing refines rather than explores, and where the objective is flat at that scale (a coarse grid the
 * declared space does not show) it re-evaluates the same cell (docs/benchmarks/samplers.md, "Session 27").
 */
import type { GPData } from './fit.js';

export type AvoidRepeats = 'none' | 'exact' | 'spacing';

/** Distance in the unit cube: Euclidean over numeric coordinates, 1 for each categorical that differs. */
export function unitDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, isCat: Uint8Array): number {
  let s = 0;
  for (let j = 0; j < isCat.length; j++) {
    const diff = isCat[j] === 1 ? Number(a[aOffset + j] !== b[bOffset + j]) : a[aOffset + j] - b[bOffset + j];
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/** Half the median distance from each evaluated point to its nearest other one (0 with fewer than two points). */
export function halfMedianSpacing(data: GPData): number {
  const d = data.isCat.length;
  if (data.n < 2) return 0;
  const nearest = Array.from({ length: data.n }, (_, a) => {
    let m = Infinity;
    for (let b = 0; b < data.n; b++) if (b !== a) m = Math.min(m, unitDistance(data.x, a * d, data.x, b * d, data.isCat));
    return m;
  }).sort((p, q) => p - q);
  return nearest[Math.floor((data.n - 1) / 2)] / 2;
}

/**
 * The predicate "this candidate may not be proposed" for a radius: within `radius` of an evaluated point, or equal
 * to one whose trial has no parameters beyond the modelled ones (`whole[i]` = 1; a trial with more parameters
 * differs from the candidate in those).
 */
export function excludedWithin(data: GPData, radius: number, whole: Uint8Array): (point: Float64Array) => boolean {
  const d = data.isCat.length;
  return (point) => {
    for (let i = 0; i < data.n; i++) {
      const dist = unitDistance(point, 0, data.x, i * d, data.isCat);
      if ((dist === 0 && whole[i] === 1) || dist < radius) return true;
    }
    return false;
  };
}

/**
 * The exclusion radii to try in turn: the first under which some candidate survives is used; after the last, every
 * candidate is allowed (a finite space fully evaluated). 'spacing' halves its radius four times before falling
 * back to exact repeats.
 */
export function exclusionRadii(mode: AvoidRepeats, data: GPData): number[] {
  if (mode === 'none') return [];
  if (mode === 'exact') return [0];
  const r = halfMedianSpacing(data);
  return [r, r / 2, r / 4, r / 8, r / 16, 0];
}
