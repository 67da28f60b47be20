import { TrainingError } from '../../errors.js';
import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Rows idx of x [rows, D] → [len(idx), D], copied row by row straight into the output's heap buffer. The host
 * gather it replaces read x out of the heap (dataSync), built the result in a fresh Float32Array and uploaded it
 * (tf.tensor2d): two extra copies of the largest tensors of a GAT step ([E, D], E ≈ 4–5 × N) and their garbage.
 * An index outside [0, rows) is a TrainingError naming the position (a bad index would otherwise copy short).
 */
export const gatherRowsKernel: HostKernel = {
  name: 'ParzenGatherRows',
  inputs: ['x'],
  indexInputs: ['indices'],
  outputShapes: (shapes) => {
    const [x, idx] = shapes;
    expectShape(x.length === 2 && idx.length === 1, 'ParzenGatherRows', () => `x must be [rows, D] and indices [n], got [${x.join(', ')}] and [${idx.join(', ')}]`);
    return [[idx[0], x[1]]];
  },
  compute: ([x], [out], shapes, _attrs, [idx]) => {
    const [rows, D] = shapes[0];
    const native = nativeKernels();
    if (native !== null) {
      const bad = native.gatherRows(x, idx, out, rows, D, idx.length);
      if (bad >= 0) throw badIndex(idx[bad], bad, rows);
      return;
    }
    for (let r = 0; r < idx.length; r++) {
      const i = idx[r];
      if (!(i >= 0 && i < rows)) throw badIndex(i, r, rows);
      // An element loop: a subarray per row would be a new JS object per row (garbage for the scavenger).
      for (let j = 0, src = i * D, dst = r * D; j < D; j++) out[dst + j] = x[src + j];
    }
  },
};

function badIndex(i: number, r: number, rows: number): TrainingError {
  return new TrainingError(`gatherRows: index ${i} at position ${r} is outside [0, ${rows}); the batch's graph indices are corrupt`, { code: 'SHAPE' });
}
