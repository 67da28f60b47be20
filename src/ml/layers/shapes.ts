import { TrainingError } from '../../errors.js';

/**
 * Shape checks at the model's boundary. The reference implementation lost a day to a `(3)` vs `(96)` mismatch
 * that broadcasting turned into a silently wrong loss, so every tensor that enters or leaves the graph network
 * is checked here, and the error names the tensor, the shape expected and the shape found.
 */

/** One dimension of an expected shape: a fixed size, or a named free size (`'N'`) bound on first use. */
export type Dim = number | string;

/**
 * Throws TrainingError('SHAPE') unless `actual` matches `expected`. Named dimensions are bound in `bindings`
 * the first time they are seen, so `['N', 12]` then `['N']` checks that two tensors agree on N.
 * @example assertShape('nodeFeatures', [300, 11], ['N', 12]) // throws: expected [N, 12], got [300, 11]
 */
export function assertShape(
  name: string,
  actual: readonly number[],
  expected: readonly Dim[],
  bindings: Map<string, number> = new Map(),
): void {
  const fail = (why: string): never => {
    const exp = `[${expected.map((d) => (typeof d === 'string' && bindings.has(d) ? `${d}=${bindings.get(d)}` : String(d))).join(', ')}]`;
    throw new TrainingError(`${name}: expected shape ${exp}, got [${actual.join(', ')}] (${why})`, { code: 'SHAPE' });
  };
  if (actual.length !== expected.length) fail(`rank ${actual.length} instead of ${expected.length}`);
  expected.forEach((d, i) => {
    const got = actual[i];
    if (typeof d === 'number') {
      if (got !== d) fail(`dimension ${i} is ${got}, must be ${d}`);
      return;
    }
    const bound = bindings.get(d);
    if (bound === undefined) bindings.set(d, got);
    else if (bound !== got) fail(`dimension ${i} is ${got}, but ${d} is ${bound} elsewhere`);
  });
}

/** Checks a flat typed array holds `rows × cols` values, naming the array and the fix. */
export function assertLength(name: string, length: number, rows: number, cols: number): void {
  if (length !== rows * cols) {
    throw new TrainingError(
      `${name}: expected ${rows}×${cols} = ${rows * cols} values, got ${length}; the array and its row count disagree`,
      { code: 'SHAPE' },
    );
  }
}
