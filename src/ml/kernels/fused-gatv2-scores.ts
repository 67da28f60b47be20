import { expectShape, type HostKernel } from './host-kernel.js';

/**
 * GATv2's attention logits (Brody, Alon & Yahav 2022, eq. 7, with edge features inside the nonlinearity) for every
 * edge and head in one kernel: e[i, h] = Σ_d a[h, d] · LeakyReLU(src[i, h, d] + dst[i, h, d] + edge[i, h, d]),
 * the three inputs [E, H·hd] (the projected source, destination and edge features gathered per edge), a [H, hd].
 * In place of Add, Add, LeakyRelu, Mul, Sum forward and the Greater, Select, Mul, Sum, … of their gradients.
 * Backward (z the pre-activation, recomputed): dz[i, h, d] = de[i, h]·a[h, d]·(z > 0 ? 1 : slope), the same for each
 * of the three inputs; da[h, d] = Σ_i de[i, h]·LeakyReLU(z[i, h, d]).
 */

function checkShapes(name: string, shapes: ReadonlyArray<readonly number[]>, first: number): [number, number, number] {
  const [E, D] = shapes[first];
  for (let i = first + 1; i < first + 3; i++) expectShape(shapes[i].join(',') === `${E},${D}`, name, () => `src, dst and edge must all be [${E}, ${D}], got [${shapes[i].join(', ')}]`);
  const a = shapes[first + 3];
  expectShape(a.length === 2 && a[0] * a[1] === D, name, () => `attention vector must be [heads, ${D} / heads], got [${a.join(', ')}]`);
  return [E, a[0], a[1]];
}

export const gatv2ScoresKernel: HostKernel = {
  name: 'ParzenGatv2Scores',
  inputs: ['src', 'dst', 'edge', 'attn'],
  outputShapes: (shapes) => {
    const [E, H] = checkShapes('ParzenGatv2Scores', shapes, 0);
    return [[E, H]];
  },
  compute: ([src, dst, edge, attn], [scores], shapes, attrs) => {
    const [E, H, hd] = [shapes[0][0], shapes[3][0], shapes[3][1]];
    const slope = Number(attrs['slope']);
    for (let i = 0; i < E; i++) {
      for (let h = 0; h < H; h++) {
        const base = (i * H + h) * hd;
        let acc = 0;
        for (let d = 0; d < hd; d++) {
          const z = src[base + d] + dst[base + d] + edge[base + d];
          acc += attn[h * hd + d] * (z > 0 ? z : slope * z);
        }
        scores[i * H + h] = acc;
      }
    }
  },
};

export const gatv2ScoresGradKernel: HostKernel = {
  name: 'ParzenGatv2ScoresGrad',
  inputs: ['dScores', 'src', 'dst', 'edge', 'attn'],
  outputShapes: (shapes) => {
    const [E, H] = checkShapes('ParzenGatv2ScoresGrad', shapes, 1);
    expectShape(shapes[0].join(',') === `${E},${H}`, 'ParzenGatv2ScoresGrad', () => `dScores must be [${E}, ${H}], got [${shapes[0].join(', ')}]`);
    return [[...shapes[1]], [...shapes[4]]];
  },
  compute: ([dScores, src, dst, edge, attn], [dz, dAttn], shapes, attrs) => {
    const [E, H, hd] = [shapes[1][0], shapes[4][0], shapes[4][1]];
    const slope = Number(attrs['slope']);
    const acc = new Float64Array(H * hd);
    for (let i = 0; i < E; i++) {
      for (let h = 0; h < H; h++) {
        const base = (i * H + h) * hd;
        const g = dScores[i * H + h];
        for (let d = 0; d < hd; d++) {
          const z = src[base + d] + dst[base + d] + edge[base + d];
          const positive = z > 0;
          dz[base + d] = g * attn[h * hd + d] * (positive ? 1 : slope);
          acc[h * hd + d] += g * (positive ? z : slope * z);
        }
      }
    }
    dAttn.set(acc);
  },
};
