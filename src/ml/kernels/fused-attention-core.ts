import { mergeHeadsKernel, packQkvGradKernel, splitQkvBiasKernel, splitRowsKernel } from './fused-attention-heads.js';
import { causalSoftmaxGradKernel, causalSoftmaxKernel } from './fused-causal-softmax.js';
import { expectShape, type HostKernel } from './host-kernel.js';
import { hostGemm, scratch } from './host-gemm.js';

/**
 * The whole causal attention core (layers/attention-core.ts) as one kernel forward and one backward, for when the
 * products run natively: the same steps as the five and seven kernels of the layer's other fused path (the
 * layout kernels of fused-attention-heads.ts, the causal softmax pair, and sgemm called as the native BatchMatMul
 * calls it, host-gemm.ts), run back to back inside one dispatch, with the intermediates that no tensor needs
 * (scores, the heads' outputs, every backward intermediate) in reused work arrays. So the values equal that path's
 * bit for bit. Outputs forward: y [B·T, C], and q, k, v [B·H, T, hd] and the weights p [B·H, T, T] for the backward.
 */

interface CoreShape {
  readonly BH: number;
  readonly T: number;
  readonly hd: number;
}

/** The heads' sizes of qkv [B·T, 3C] (outputShapes has checked them). */
function coreShape(qkv: readonly number[], attrs: Record<string, unknown>): CoreShape {
  const B = Number(attrs['batch']);
  const H = Number(attrs['heads']);
  return { BH: B * H, T: qkv[0] / B, hd: qkv[1] / 3 / H };
}

export const attentionCoreKernel: HostKernel = {
  name: 'ParzenAttentionCore',
  inputs: ['qkv', 'bias'],
  outputShapes: (shapes, attrs) => {
    const heads = splitQkvBiasKernel.outputShapes(shapes, attrs); // checks qkv and bias
    const [BH, T] = heads[0];
    return [[shapes[0][0], shapes[0][1] / 3], ...heads, [BH, T, T]];
  },
  compute: ([qkv, bias], [y, q, k, v, p], shapes, attrs) => {
    const { BH, T, hd } = coreShape(shapes[0], attrs);
    splitQkvBiasKernel.compute([qkv, bias], [q, k, v], shapes, attrs, []);
    const s = scratch(0, BH * T * T);
    hostGemm(q, k, s, { batch: BH, m: T, n: T, k: hd }, false, true);
    causalSoftmaxKernel.compute([s], [p], [[BH, T, T]], attrs, []);
    const yHeads = scratch(1, BH * T * hd);
    hostGemm(p, v, yHeads, { batch: BH, m: T, n: hd, k: T }, false, false);
    mergeHeadsKernel.compute([yHeads], [y], [[BH, T, hd]], attrs, []);
  },
};

/** dy [B·T, C] and the saved q, k, v, p → dqkv [B·T, 3C] and the bias gradient [3C]. */
export const attentionCoreGradKernel: HostKernel = {
  name: 'ParzenAttentionCoreGrad',
  inputs: ['dy', 'q', 'k', 'v', 'p'],
  outputShapes: (shapes, attrs) => {
    const [BH, T, hd] = shapes[1];
    const H = Number(attrs['heads']);
    const fits = shapes[0].length === 2 && shapes[0][0] === (BH / H) * T && shapes[0][1] === H * hd && shapes[4].join(',') === `${BH},${T},${T}`;
    expectShape(fits, 'ParzenAttentionCoreGrad', () => `dy [${shapes[0].join(', ')}] and p [${shapes[4].join(', ')}] do not fit heads [${shapes[1].join(', ')}]`);
    return packQkvGradKernel.outputShapes(shapes.slice(1, 4), attrs);
  },
  compute: ([dy, q, k, v, p], outs, shapes, attrs) => {
    const [BH, T, hd] = shapes[1];
    const n = BH * T;
    const dyHeads = scratch(0, n * hd);
    splitRowsKernel.compute([dy], [dyHeads], [shapes[0]], attrs, []);
    const dv = scratch(1, n * hd);
    hostGemm(p, dyHeads, dv, { batch: BH, m: T, n: hd, k: T }, true, false);
    const dp = scratch(2, n * T);
    hostGemm(dyHeads, v, dp, { batch: BH, m: T, n: T, k: hd }, false, true);
    const ds = scratch(3, n * T);
    causalSoftmaxGradKernel.compute([dp, p], [ds], [[BH, T, T], [BH, T, T]], attrs, []);
    const dq = scratch(4, n * hd);
    hostGemm(ds, k, dq, { batch: BH, m: T, n: hd, k: T }, false, false);
    const dk = scratch(5, n * hd);
    hostGemm(ds, q, dk, { batch: BH, m: T, n: hd, k: T }, true, false);
    packQkvGradKernel.compute([dq, dk, dv], outs, [shapes[1], shapes[1], shapes[1]], attrs, []);
  },
};
