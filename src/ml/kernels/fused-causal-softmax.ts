import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Causal attention weights p = softmax(scale·s + mask) over the last axis of scores s [N, T, T], the mask −∞ above
 * the diagonal (key > query), in one kernel forward and one backward, in place of Mul, Add (the −1e9 mask), Softmax
 * forward and the Mul, Sum, Sub, Mul, Mul of their gradients. Masked weights are exactly 0, as exp(−1e9) is.
 * Backward: ds = scale · p ⊙ (dp − Σ_k dp·p), the softmax Jacobian applied row by row.
 */

function checkSquare(name: string, s: readonly number[]): number {
  const T = s[s.length - 1];
  expectShape(s.length >= 2 && s[s.length - 2] === T, name, () => `scores must be [..., T, T], got [${s.join(', ')}]`);
  return T;
}

export const causalSoftmaxKernel: HostKernel = {
  name: 'ParzenCausalSoftmax',
  inputs: ['scores'],
  outputShapes: (shapes) => {
    checkSquare('ParzenCausalSoftmax', shapes[0]);
    return [[...shapes[0]]];
  },
  compute: ([s], [p], shapes, attrs) => {
    const T = shapes[0][shapes[0].length - 1];
    const scale = Number(attrs['scale']);
    const rows = s.length / T;
    const native = nativeKernels();
    if (native !== null) return native.causalSoftmax(s, p, rows, T, scale);
    for (let r = 0; r < rows; r++) {
      const base = r * T;
      const q = r % T;
      let max = -Infinity;
      for (let k = 0; k <= q; k++) max = Math.max(max, scale * s[base + k]);
      let sum = 0;
      for (let k = 0; k <= q; k++) {
        const e = Math.exp(scale * s[base + k] - max);
        p[base + k] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let k = 0; k <= q; k++) p[base + k] *= inv;
      for (let k = q + 1; k < T; k++) p[base + k] = 0;
    }
  },
};

export const causalSoftmaxGradKernel: HostKernel = {
  name: 'ParzenCausalSoftmaxGrad',
  inputs: ['dp', 'p'],
  outputShapes: (shapes) => {
    checkSquare('ParzenCausalSoftmaxGrad', shapes[1]);
    expectShape(shapes[0].join(',') === shapes[1].join(','), 'ParzenCausalSoftmaxGrad', () => `dp [${shapes[0].join(', ')}] must match p [${shapes[1].join(', ')}]`);
    return [[...shapes[1]]];
  },
  compute: ([dp, p], [ds], shapes, attrs) => {
    const T = shapes[1][shapes[1].length - 1];
    const scale = Number(attrs['scale']);
    const rows = p.length / T;
    const native = nativeKernels();
    if (native !== null) return native.causalSoftmaxGrad(dp, p, ds, rows, T, scale);
    for (let r = 0; r < rows; r++) {
      const base = r * T;
      const q = r % T;
      let dot = 0;
      for (let k = 0; k <= q; k++) dot += dp[base + k] * p[base + k];
      for (let k = 0; k <= q; k++) ds[base + k] = scale * p[base + k] * (dp[base + k] - dot);
      for (let k = q + 1; k < T; k++) ds[base + k] = 0;
    }
  },
};
