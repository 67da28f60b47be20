/**
 * The broad sampler benchmark's problems (issue 15): 22 synthetic functions (2–20-D: multimodal, ill-conditioned,
 * plateaus, noisy), 5 mixed spaces, 11 scikit-learn tuning tables and a small neural network's table. The split into
 * 'select' and 'holdout' alternates within each family and was fixed before any run; the five tables added in
 * session 29b (tables.ts) and the three quantized functions of session 29c (synthetic.ts) are all in the selection part.
 */
import { MIXED_PROBLEMS } from './mixed.js';
import type { Problem } from './problem.js';
import { SYNTHETIC_PROBLEMS } from './synthetic.js';
import { TABLE_PROBLEMS, tableRecorded } from './tables.js';

export type { Problem } from './problem.js';

export const PROBLEM_NAMES: readonly string[] = [...SYNTHETIC_PROBLEMS, ...MIXED_PROBLEMS].map((p) => p.name).concat(Object.keys(TABLE_PROBLEMS));

/**
 * The problems named (all when `names` is empty), in the benchmark's order; a table is read only when named.
 * `skipUnrecorded` leaves out table problems whose table file is not there yet (the report), instead of throwing.
 */
export function loadProblems(names: readonly string[] = [], opts: { skipUnrecorded?: boolean } = {}): Problem[] {
  const keep = (n: string): boolean => (names.length === 0 || names.includes(n)) && (opts.skipUnrecorded !== true || !(n in TABLE_PROBLEMS) || tableRecorded(n));
  const closed = [...SYNTHETIC_PROBLEMS, ...MIXED_PROBLEMS].filter((p) => keep(p.name));
  return closed.concat(Object.entries(TABLE_PROBLEMS).filter(([n]) => keep(n)).map(([, load]) => load()));
}
