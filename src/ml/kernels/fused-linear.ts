import { columnSum } from './fused-column-sum.js';
import { expectShape, type HostKernel } from './host-kernel.js';
import { hostGemm } from './host-gemm.js';

/**
 * A dense layer's product and bias as one kernel forward and one backward (layers/linear.ts): y = x·W (+ b) in
 * place of a BatchMatMul and a bias add, and dx = dy·Wᵀ, dW = xᵀ·dy (, db = Σ_rows dy) in place of two
 * BatchMatMuls (and a column sum). The products are the native addon's sgemm with the arguments the native
 * BatchMatMul kernel passes it (host-gemm.ts), so the values are those of the unfused layers; without the addon
 * (or with its C kernels switched off) a plain loop computes them, for tests: the layer then keeps the stock path.
 */

/** out = op(a)·op(b) for one m×k by k×n product, row-major. */
function gemm(a: Float32Array, b: Float32Array, out: Float32Array, dims: { m: number; n: number; k: number }, tA: boolean, tB: boolean): void {
  hostGemm(a, b, out, { batch: 1, ...dims }, tA, tB);
}

function checkFactors(name: string, x: readonly number[], w: readonly number[]): void {
  expectShape(x.length === 2 && w.length === 2 && x[1] === w[0], name, () => `x [rows, K] · w [K, N] needs matching K, got [${x.join(', ')}] · [${w.join(', ')}]`);
}

const withBias = (attrs: Record<string, unknown>): boolean => attrs['bias'] === 1;

/** y = x·w, plus bias [N] on every row when attr bias = 1 (then `bias` is an input). */
export const linearKernel: HostKernel = {
  name: 'ParzenLinear',
  inputs: ['x', 'w', 'bias'],
  outputShapes: (shapes) => {
    checkFactors('ParzenLinear', shapes[0], shapes[1]);
    expectShape(shapes[2].length === 1 && shapes[2][0] === shapes[1][1], 'ParzenLinear', () => `bias must be [${shapes[1][1]}], got [${shapes[2].join(', ')}]`);
    return [[shapes[0][0], shapes[1][1]]];
  },
  compute: ([x, w, bias], [y], shapes) => {
    const [R, K] = shapes[0];
    const N = shapes[1][1];
    gemm(x, w, y, { m: R, n: N, k: K }, false, false);
    for (let r = 0; r < R; r++) for (let c = 0, i = r * N; c < N; c++, i++) y[i] += bias[c];
  },
};

/** y = x·w with no bias. */
export const productKernel: HostKernel = {
  name: 'ParzenProduct',
  inputs: ['x', 'w'],
  outputShapes: (shapes) => {
    checkFactors('ParzenProduct', shapes[0], shapes[1]);
    return [[shapes[0][0], shapes[1][1]]];
  },
  compute: ([x, w], [y], shapes) => gemm(x, w, y, { m: shapes[0][0], n: shapes[1][1], k: shapes[0][1] }, false, false),
};

/** dx = dy·wᵀ, dw = xᵀ·dy, and with attr bias = 1 the bias gradient Σ_rows dy as a third output. */
export const linearGradKernel: HostKernel = {
  name: 'ParzenLinearGrad',
  inputs: ['dy', 'x', 'w'],
  outputShapes: (shapes, attrs) => {
    const [dy, x, w] = shapes;
    checkFactors('ParzenLinearGrad', x, w);
    expectShape(dy.length === 2 && dy[0] === x[0] && dy[1] === w[1], 'ParzenLinearGrad', () => `dy must be [${x[0]}, ${w[1]}], got [${dy.join(', ')}]`);
    return withBias(attrs) ? [[...x], [...w], [w[1]]] : [[...x], [...w]];
  },
  compute: ([dy, x, w], outs, shapes, attrs) => {
    const [R, K] = shapes[1];
    const N = shapes[2][1];
    gemm(dy, w, outs[0], { m: R, n: K, k: N }, false, true);
    gemm(x, dy, outs[1], { m: K, n: N, k: R }, true, false);
    if (withBias(attrs)) columnSum(dy, outs[2], R, N);
  },
};
