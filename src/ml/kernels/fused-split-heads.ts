import { copyHeads, type Layout } from './fused-attention-heads.js';
import { expectShape, type HostKernel } from './host-kernel.js';

/**
 * The fused projection [B·T, 3C] of attention cut into Q, K and V per (sequence, head), [B·H, T, C/H] each, in one
 * copy: in place of SplitV and three Reshape-Transpose-Reshape chains per block (the wasm SplitV alone cost ~4 ms a call on
 * [768, 384]); the backward of each part writes its gradient back into a [B·T, 3C] that is zero elsewhere (tfjs
 * adds the three: two Adds in place of three transposes and a Concat). One kernel call per part, since a custom
 * gradient in tfjs has one output. q[b·H + h, t, d] = qkv[b·T + t, h·hd + d], k and v the same at column offsets C and 2C.
 */

function layout(name: string, rows: number, threeC: number, attrs: Record<string, unknown>): Layout {
  const B = Number(attrs['batch']);
  const H = Number(attrs['heads']);
  const T = rows / B;
  const C = threeC / 3;
  expectShape(Number.isInteger(T) && Number.isInteger(C) && C % H === 0, name, () => `[${rows}, ${threeC}] is not [batch ${B} × T, 3 × C] with C divisible by ${H} heads`);
  return { B, T, H, hd: C / H };
}

/** Output `part` (0 Q, 1 K, 2 V) of the split: [B·H, T, hd]. */
export const splitHeadsKernel: HostKernel = {
  name: 'ParzenSplitHeads',
  inputs: ['qkv'],
  outputShapes: (shapes, attrs) => {
    const l = layout('ParzenSplitHeads', shapes[0][0], shapes[0][1], attrs);
    return [[l.B * l.H, l.T, l.hd]];
  },
  compute: ([qkv], [out], shapes, attrs) => {
    const l = layout('ParzenSplitHeads', shapes[0][0], shapes[0][1], attrs);
    copyHeads(l, qkv, 3 * l.H * l.hd, Number(attrs['part']) * l.H * l.hd, out, true);
  },
};

/** dy of one part [B·H, T, hd] written back into [B·T, 3C], zero in the other two parts' columns. */
export const splitHeadsGradKernel: HostKernel = {
  name: 'ParzenSplitHeadsGrad',
  inputs: ['dy'],
  outputShapes: (shapes, attrs) => {
    const [BH, T, hd] = shapes[0];
    const H = Number(attrs['heads']);
    expectShape(shapes[0].length === 3 && BH % H === 0, 'ParzenSplitHeadsGrad', () => `dy must be [batch × ${H}, T, hd], got [${shapes[0].join(', ')}]`);
    return [[(BH / H) * T, 3 * H * hd]];
  },
  compute: ([dy], [dqkv], shapes, attrs) => {
    const [BH, T, hd] = shapes[0];
    const H = Number(attrs['heads']);
    const l = layout('ParzenSplitHeadsGrad', (BH / H) * T, 3 * H * hd, attrs);
    dqkv.fill(0);
    copyHeads(l, dqkv, 3 * H * hd, Number(attrs['part']) * H * hd, dy, false);
  },
};
