import { columnSum } from './fused-column-sum.js';
import { expectShape, type HostKernel } from './host-kernel.js';

/**
 * The layout changes around multi-head attention's products, one kernel each, for the fused attention core
 * (layers/attention-core.ts). Rows are [B·T, ·] (sequence b, position t), heads [B·H, T, hd]:
 *   q[b·H + h, t, d] = qkv[b·T + t, h·hd + d] + bias[h·hd + d]; k and v the same at column offsets C and 2C;
 *   merged y[b·T + t, h·hd + d] = heads[b·H + h, t, d].
 * In place of the three split-head kernels, a bias Add, and the Reshape-Transpose-Reshape of merging heads
 * forward, and three scatter kernels, two Adds, a bias column sum and a Transpose chain backward.
 */

/** A multi-head layout: B sequences of T positions, H heads of width hd. */
export interface Layout {
  readonly B: number;
  readonly T: number;
  readonly H: number;
  readonly hd: number;
}

function rowsLayout(name: string, rows: number, cols: number, attrs: Record<string, unknown>): Layout {
  const B = Number(attrs['batch']);
  const H = Number(attrs['heads']);
  const T = rows / B;
  expectShape(Number.isInteger(T) && cols % H === 0, name, () => `[${rows}, ${cols}] is not [batch ${B} × T, C] with C divisible by ${H} heads`);
  return { B, T, H, hd: cols / H };
}

function headsLayout(name: string, shape: readonly number[], attrs: Record<string, unknown>): Layout {
  const H = Number(attrs['heads']);
  const [BH, T, hd] = shape;
  expectShape(shape.length === 3 && BH % H === 0, name, () => `heads must be [batch × ${H}, T, hd], got [${shape.join(', ')}]`);
  return { B: BH / H, T, H, hd };
}

/**
 * Copies every run of hd floats between columns [col, col + C) of rows [B·T, width] and heads [B·H, T, hd], adding
 * `bias[col + c]` on the way to the heads when given. Plain index loops (no closure or subarray per run: B·T·H runs
 * a call, and the replicas' scavenges follow the garbage).
 */
export function copyHeads(l: Layout, rows: Float32Array, width: number, col: number, heads: Float32Array, toHeads: boolean, bias?: Float32Array): void {
  const { B, T, H, hd } = l;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * width + col;
      for (let h = 0; h < H; h++) {
        const p = row + h * hd;
        const q = ((b * H + h) * T + t) * hd;
        if (!toHeads) for (let d = 0; d < hd; d++) rows[p + d] = heads[q + d];
        else if (bias === undefined) for (let d = 0; d < hd; d++) heads[q + d] = rows[p + d];
        else for (let d = 0, c = col + h * hd; d < hd; d++, c++) heads[q + d] = rows[p + d] + bias[c];
      }
    }
  }
}

/** qkv [B·T, 3C] + bias [3C] → q, k, v [B·H, T, hd]. */
export const splitQkvBiasKernel: HostKernel = {
  name: 'ParzenSplitQkvBias',
  inputs: ['qkv', 'bias'],
  outputShapes: (shapes, attrs) => {
    const [rows, threeC] = shapes[0];
    expectShape(threeC % 3 === 0 && shapes[1].length === 1 && shapes[1][0] === threeC, 'ParzenSplitQkvBias', () => `qkv [${shapes[0].join(', ')}] needs a bias [${threeC}] and 3·C columns, got bias [${shapes[1].join(', ')}]`);
    const l = rowsLayout('ParzenSplitQkvBias', rows, threeC / 3, attrs);
    const heads = [l.B * l.H, l.T, l.hd];
    return [[...heads], [...heads], [...heads]];
  },
  compute: ([qkv, bias], outs, shapes, attrs) => {
    const C = shapes[0][1] / 3;
    const l = rowsLayout('ParzenSplitQkvBias', shapes[0][0], C, attrs);
    for (let part = 0; part < 3; part++) copyHeads(l, qkv, 3 * C, part * C, outs[part], true, bias);
  },
};

/** dq, dk, dv [B·H, T, hd] → dqkv [B·T, 3C] and the bias gradient [3C] (column sums of dqkv, as biasAdd's gradient sums them). */
export const packQkvGradKernel: HostKernel = {
  name: 'ParzenPackQkvGrad',
  inputs: ['dq', 'dk', 'dv'],
  outputShapes: (shapes, attrs) => {
    const l = headsLayout('ParzenPackQkvGrad', shapes[0], attrs);
    expectShape(shapes.every((s) => s.join(',') === shapes[0].join(',')), 'ParzenPackQkvGrad', () => `dq, dk, dv must share one shape, got ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}`);
    const C = l.H * l.hd;
    return [[l.B * l.T, 3 * C], [3 * C]];
  },
  compute: (grads, [dqkv, dBias], shapes, attrs) => {
    const l = headsLayout('ParzenPackQkvGrad', shapes[0], attrs);
    const C = l.H * l.hd;
    for (let part = 0; part < 3; part++) copyHeads(l, dqkv, 3 * C, part * C, grads[part], false);
    columnSum(dqkv, dBias, l.B * l.T, 3 * C);
  },
};

/** heads [B·H, T, hd] → rows [B·T, C]: the heads side by side (and, as its own gradient's inverse, the next kernel). */
export const mergeHeadsKernel: HostKernel = {
  name: 'ParzenMergeHeads',
  inputs: ['heads'],
  outputShapes: (shapes, attrs) => {
    const l = headsLayout('ParzenMergeHeads', shapes[0], attrs);
    return [[l.B * l.T, l.H * l.hd]];
  },
  compute: ([heads], [rows], shapes, attrs) => {
    const l = headsLayout('ParzenMergeHeads', shapes[0], attrs);
    copyHeads(l, rows, l.H * l.hd, 0, heads, false);
  },
};

/** rows [B·T, C] → heads [B·H, T, hd]: the merge's gradient (each row cut into its heads). */
export const splitRowsKernel: HostKernel = {
  name: 'ParzenSplitRows',
  inputs: ['rows'],
  outputShapes: (shapes, attrs) => {
    const l = rowsLayout('ParzenSplitRows', shapes[0][0], shapes[0][1], attrs);
    return [[l.B * l.H, l.T, l.hd]];
  },
  compute: ([rows], [heads], shapes, attrs) => {
    const l = rowsLayout('ParzenSplitRows', shapes[0][0], shapes[0][1], attrs);
    copyHeads(l, rows, l.H * l.hd, 0, heads, true);
  },
};
