/**
 * Benchmark objective for scripts/bench/pool-scaling.ts: pure-JS integer arithmetic for `ctx.budget.iterations`
 * steps (a linear congruential generator, constants from Numerical Recipes / glibc), then the parameter added.
 * Deterministic and allocation-free, so its cost is CPU only and the same on every worker.
 */
import { float } from '../../src/space/distributions.js';
import { defineObjective } from '../../src/study/objective.js';

/** `n` LCG steps; returns the mean of their square roots (so the loop cannot be optimised away). */
export function burn(n: number): number {
  let a = 1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    a = (a * 1103515245 + 12345) % 2147483648;
    sum += Math.sqrt(a);
  }
  return sum / n;
}

export default defineObjective({
  space: { x: float(0, 1) },
  direction: 'minimize',
  run: ({ x }, ctx) => {
    const n = ctx.budget['iterations'];
    if (typeof n !== 'number') throw new Error('pool-cpu-burn-objective: budget.iterations (a number) is required');
    return burn(n) * 1e-9 + x;
  },
});
