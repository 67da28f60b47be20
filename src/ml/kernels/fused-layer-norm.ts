import type { NamedAttrMap } from '@tensorflow/tfjs';
import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Layer normalisation over the last axis (Ba, Kiros & Hinton 2016) as two kernels, forward and backward, in place
 * of the ~8 stock ops forward and ~20 backward. Row statistics are accumulated in double precision.
 * Backward (x̂ = (x − μ)·r, r = 1/√(σ² + ε), g = dy·γ):
 *   dx = r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 * The backward recomputes μ and r from x (one pass) rather than keeping them as tensors.
 */

export const LAYER_NORM_EPSILON = 1e-5;

function featureShapes(name: string, shapes: ReadonlyArray<readonly number[]>, nRowInputs: number): number {
  const x = shapes[0];
  const C = x[x.length - 1];
  for (let i = 1; i < nRowInputs; i++) expectShape(shapes[i].join(',') === x.join(','), name, () => `input ${i} has shape [${shapes[i].join(', ')}], x [${x.join(', ')}]`);
  for (let i = nRowInputs; i < shapes.length; i++) expectShape(shapes[i].length === 1 && shapes[i][0] === C, name, () => `gain and bias must be [${C}], got [${shapes[i].join(', ')}]`);
  return C;
}

/** Where `rowStats` leaves μ and r: one scratch pair, not a tuple a row (thousands of small arrays a step). */
const stats = new Float64Array(2);

/** μ and r = 1/√(σ² + ε) of the row of x [R, C] at `base`, into `stats`. */
function rowStats(x: Float32Array, base: number, C: number): void {
  let sum = 0;
  for (let c = 0; c < C; c++) sum += x[base + c];
  const mean = sum / C;
  let sq = 0;
  for (let c = 0; c < C; c++) {
    const d = x[base + c] - mean;
    sq += d * d;
  }
  stats[0] = mean;
  stats[1] = 1 / Math.sqrt(sq / C + LAYER_NORM_EPSILON);
}

export const layerNormKernel: HostKernel = {
  name: 'ParzenLayerNorm',
  inputs: ['x', 'gain', 'bias'],
  outputShapes: (shapes) => {
    featureShapes('ParzenLayerNorm', shapes, 1);
    return [[...shapes[0]]];
  },
  compute: ([x, gain, bias], [y], shapes) => {
    const C = shapes[0][shapes[0].length - 1];
    const R = x.length / C;
    const native = nativeKernels();
    if (native !== null) return native.layerNorm(x, gain, bias, y, R, C, LAYER_NORM_EPSILON);
    for (let r = 0; r < R; r++) {
      const base = r * C;
      rowStats(x, base, C);
      const mean = stats[0];
      const rstd = stats[1];
      for (let c = 0; c < C; c++) y[base + c] = (x[base + c] - mean) * rstd * gain[c] + bias[c];
    }
  },
};

export const layerNormGradKernel: HostKernel = {
  name: 'ParzenLayerNormGrad',
  inputs: ['dy', 'x', 'gain'],
  outputShapes: (shapes: ReadonlyArray<readonly number[]>, _attrs: NamedAttrMap) => {
    const C = featureShapes('ParzenLayerNormGrad', shapes, 2);
    return [[...shapes[1]], [C], [C]];
  },
  compute: ([dy, x, gain], [dx, dGain, dBias], shapes) => {
    const C = shapes[1][shapes[1].length - 1];
    const R = x.length / C;
    const native = nativeKernels();
    if (native !== null) return native.layerNormGrad(dy, x, gain, dx, dGain, dBias, R, C, LAYER_NORM_EPSILON);
    const accGain = new Float64Array(C);
    const accBias = new Float64Array(C);
    for (let r = 0; r < R; r++) {
      const base = r * C;
      rowStats(x, base, C);
      const mean = stats[0];
      const rstd = stats[1];
      let sumG = 0;
      let sumGx = 0;
      for (let c = 0; c < C; c++) {
        const xhat = (x[base + c] - mean) * rstd;
        const g = dy[base + c] * gain[c];
        sumG += g;
        sumGx += g * xhat;
        accGain[c] += dy[base + c] * xhat;
        accBias[c] += dy[base + c];
      }
      const meanG = sumG / C;
      const meanGx = sumGx / C;
      for (let c = 0; c < C; c++) {
        const xhat = (x[base + c] - mean) * rstd;
        dx[base + c] = rstd * (dy[base + c] * gain[c] - meanG - xhat * meanGx);
      }
    }
    dGain.set(accGain);
    dBias.set(accBias);
  },
};
