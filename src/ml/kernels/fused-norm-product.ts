import { layerNormGradKernel, layerNormKernel } from './fused-layer-norm.js';
import { expectShape, type HostKernel } from './host-kernel.js';
import { hostGemm, scratch } from './host-gemm.js';

/**
 * A LayerNorm and the product that reads it as one kernel forward and one backward (layers/norm-product.ts):
 * y = LN(x)·op(W), with LN(x) kept as a second output for the backward, in place of ParzenLayerNorm and a product,
 * and dX̂ = dy·op(W)ᵀ, dW, then ParzenLayerNormGrad's loop, in place of two kernels and a product. The steps are the
 * unfused kernels' (fused-layer-norm.ts, sgemm as host-gemm.ts calls it), so the values are theirs bit for bit.
 * attr transposeW = 1: W is [N, K] and used transposed (a head tied to the token embedding).
 */

function factorShapes(name: string, shapes: ReadonlyArray<readonly number[]>, attrs: Record<string, unknown>): { R: number; K: number; N: number; tW: boolean } {
  const [x, w] = [shapes[0], shapes[3]];
  const tW = attrs['transposeW'] === 1;
  const [wK, N] = tW ? [w[1], w[0]] : [w[0], w[1]];
  expectShape(x.length === 2 && w.length === 2 && x[1] === wK, name, () => `LN(x) [${x.join(', ')}] · w [${w.join(', ')}]${tW ? 'ᵀ' : ''} needs matching inner dimensions`);
  return { R: x[0], K: x[1], N, tW };
}

export const normProductKernel: HostKernel = {
  name: 'ParzenNormProduct',
  inputs: ['x', 'gain', 'bias', 'w'],
  outputShapes: (shapes, attrs) => {
    const { R, N } = factorShapes('ParzenNormProduct', shapes, attrs);
    const [normed] = layerNormKernel.outputShapes(shapes.slice(0, 3), attrs);
    return [[R, N], normed];
  },
  compute: ([x, gain, bias, w], [y, normed], shapes, attrs) => {
    const { R, K, N, tW } = factorShapes('ParzenNormProduct', shapes, attrs);
    layerNormKernel.compute([x, gain, bias], [normed], shapes.slice(0, 3), attrs, []);
    hostGemm(normed, w, y, { batch: 1, m: R, n: N, k: K }, false, tW);
  },
};

/** dy, x, LN(x), gain, w → dx, d gain, d bias, dw. */
export const normProductGradKernel: HostKernel = {
  name: 'ParzenNormProductGrad',
  inputs: ['dy', 'x', 'normed', 'gain', 'w'],
  outputShapes: (shapes, attrs) => {
    const [dy, x, normed, gain, w] = shapes;
    const { R, N } = factorShapes('ParzenNormProductGrad', [x, gain, gain, w], attrs);
    expectShape(dy.length === 2 && dy[0] === R && dy[1] === N && normed.join(',') === x.join(','), 'ParzenNormProductGrad', () => `dy [${dy.join(', ')}] and LN(x) [${normed.join(', ')}] do not fit x [${x.join(', ')}] · w`);
    return [[...x], [gain[0]], [gain[0]], [...w]];
  },
  compute: ([dy, x, normed, gain, w], [dx, dGain, dBias, dw], shapes, attrs) => {
    const { R, K, N, tW } = factorShapes('ParzenNormProductGrad', [shapes[1], shapes[3], shapes[3], shapes[4]], attrs);
    const dNormed = scratch(0, R * K);
    hostGemm(dy, w, dNormed, { batch: 1, m: R, n: K, k: N }, false, !tW);
    // dW as the product's gradient of B: xᵀ·dy, or dyᵀ·x for a transposed W (matmul.ts, gradientOfB).
    if (tW) hostGemm(dy, normed, dw, { batch: 1, m: N, n: K, k: R }, true, false);
    else hostGemm(normed, dy, dw, { batch: 1, m: K, n: N, k: R }, true, false);
    layerNormGradKernel.compute([dNormed, x, gain], [dx, dGain, dBias], [shapes[1], shapes[1], shapes[3]], attrs, []);
  },
};
