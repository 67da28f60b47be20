/** Benchmark objective that does nothing: what is left of a trial's time is dispatch (scripts/bench/pool-scaling.ts). */
import { float } from '../../src/space/distributions.js';
import { defineObjective } from '../../src/study/objective.js';

export default defineObjective({
  space: { x: float(0, 1) },
  direction: 'minimize',
  run: ({ x }) => x,
});
