import type { ParamsOf, SearchSpace } from '../space/distributions.js';
import type { ObjectiveContext } from '../core/objective-context.js';
import type { StudyDirection } from '../core/frozen.js';

export type { ObjectiveContext };

/** A declared-space objective: `export default defineObjective({ space, direction, run })`. */
export interface ObjectiveDefinition<S extends SearchSpace = SearchSpace> {
  readonly space: S;
  readonly direction?: StudyDirection;
  /** Name of the value returned by `run`, for display (`val_loss`). */
  readonly metric?: string;
  run(params: ParamsOf<S>, ctx: ObjectiveContext): number | Promise<number>;
}

export const OBJECTIVE_BRAND = Symbol.for('parzen.objective');

/**
 * Declare an objective module for `tune --objective path/to/file.ts`. Parameter types are inferred from the space.
 * @example
 * import { defineObjective, float } from 'parzen';
 * export default defineObjective({
 *   space: { x: float(-5, 10), y: float(0, 15) },
 *   direction: 'minimize',
 *   run: ({ x, y }) => (y - 5.1 / (4 * Math.PI ** 2) * x * x + 5 / Math.PI * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10,
 * });
 */
export function defineObjective<const S extends SearchSpace>(def: ObjectiveDefinition<S>): ObjectiveDefinition<S> {
  return Object.freeze({ ...def, [OBJECTIVE_BRAND]: true });
}
