import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Σ over the rows of dy [R, C] → [C]: the gradient of a bias added to every row. tfjs computes it with a Sum over
 * axis 0, which the wasm backend runs as a Transpose and then a reduction (~0.8 ms a call on [768, 384] here); this
 * is one pass in row order, accumulated in double precision.
 */
export const columnSumKernel: HostKernel = {
  name: 'ParzenColumnSum',
  inputs: ['dy'],
  outputShapes: (shapes) => {
    expectShape(shapes[0].length === 2, 'ParzenColumnSum', () => `dy must be [rows, C], got [${shapes[0].join(', ')}]`);
    return [[shapes[0][1]]];
  },
  compute: ([dy], [out], shapes) => columnSum(dy, out, shapes[0][0], shapes[0][1]),
};

/** out[c] = Σ_r x[r·C + c] for x [R, C]: the C loop where the addon has it, else in double precision here. */
export function columnSum(x: Float32Array, out: Float32Array, R: number, C: number): void {
  const native = nativeKernels();
  if (native !== null) return native.columnSum(x, out, R, C);
  const acc = new Float64Array(C);
  for (let r = 0; r < R; r++) for (let c = 0, i = r * C; c < C; c++, i++) acc[c] += x[i];
  out.set(acc);
}
