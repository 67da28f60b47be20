import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Graph attention's aggregation in one kernel forward and one backward: out[s, h, :] = Σ_{e : id(e) = s}
 * α[e, h]·x[e, h, :] for x [E, H·hd] (the projected source states gathered per edge), α [E, H] and ids [E], in place
 * of Reshape, Mul and the segment sum forward and the gather, two Muls and a Sum of their gradients.
 * Backward: dx[e, h, :] = α[e, h]·dOut[id(e), h, :]; dα[e, h] = Σ_d dOut[id(e), h, d]·x[e, h, d].
 * Ids must lie in [0, numSegments) (a TrainingError names the first that does not).
 */

function layoutOf(name: string, shapes: ReadonlyArray<readonly number[]>, xAt: number): [number, number, number] {
  const [x, alpha, ids] = [shapes[xAt], shapes[xAt + 1], shapes[xAt + 2]];
  expectShape(x.length === 2 && alpha.length === 2 && ids.length === 1 && alpha[0] === x[0] && ids[0] === x[0] && x[1] % alpha[1] === 0, name, () =>
    `x must be [E, H·hd], alpha [E, H] and ids [E], got [${x.join(', ')}], [${alpha.join(', ')}] and [${ids.join(', ')}]`);
  return [x[0], alpha[1], x[1] / alpha[1]];
}

function checkRange(name: string, ids: Int32Array, numSegments: number): void {
  for (let e = 0; e < ids.length; e++) {
    const s = ids[e];
    if (!(s >= 0 && s < numSegments)) expectShape(false, name, () => `segment id ${s} at position ${e} is outside [0, ${numSegments})`);
  }
}

export const weightedSegmentSumKernel: HostKernel = {
  name: 'ParzenWeightedSegmentSum',
  inputs: ['x', 'alpha'],
  indexInputs: ['segmentIds'],
  outputShapes: (shapes, attrs) => {
    const [, H, hd] = layoutOf('ParzenWeightedSegmentSum', shapes, 0);
    return [[Number(attrs['numSegments']), H * hd]];
  },
  compute: ([x, alpha], [out], shapes, attrs, [ids]) => {
    const [E, H, hd] = layoutOf('ParzenWeightedSegmentSum', shapes, 0);
    const n = Number(attrs['numSegments']);
    const native = nativeKernels();
    if (native !== null) {
      if (native.weightedSegmentSum(x, alpha, ids, out, E, H, hd, n) >= 0) checkRange('ParzenWeightedSegmentSum', ids, n);
      return;
    }
    checkRange('ParzenWeightedSegmentSum', ids, n);
    const D = H * hd;
    out.fill(0);
    for (let e = 0; e < E; e++) {
      const o = ids[e] * D;
      for (let h = 0; h < H; h++) {
        const a = alpha[e * H + h];
        const base = e * D + h * hd;
        for (let d = 0; d < hd; d++) out[o + h * hd + d] += a * x[base + d];
      }
    }
  },
};

export const weightedSegmentSumGradKernel: HostKernel = {
  name: 'ParzenWeightedSegmentSumGrad',
  inputs: ['dy', 'x', 'alpha'],
  indexInputs: ['segmentIds'],
  outputShapes: (shapes, attrs) => {
    const [E, H, hd] = layoutOf('ParzenWeightedSegmentSumGrad', shapes, 1);
    const n = Number(attrs['numSegments']);
    expectShape(shapes[0].join(',') === `${n},${H * hd}`, 'ParzenWeightedSegmentSumGrad', () => `dy must be [${n}, ${H * hd}], got [${shapes[0].join(', ')}]`);
    return [[E, H * hd], [E, H]];
  },
  compute: ([dy, x, alpha], [dx, dAlpha], shapes, attrs, [ids]) => {
    const [E, H, hd] = layoutOf('ParzenWeightedSegmentSumGrad', shapes, 1);
    const n = Number(attrs['numSegments']);
    const native = nativeKernels();
    if (native !== null) {
      if (native.weightedSegmentSumGrad(dy, x, alpha, ids, dx, dAlpha, E, H, hd, n) >= 0) checkRange('ParzenWeightedSegmentSumGrad', ids, n);
      return;
    }
    checkRange('ParzenWeightedSegmentSumGrad', ids, n);
    const D = H * hd;
    for (let e = 0; e < E; e++) {
      const o = ids[e] * D;
      for (let h = 0; h < H; h++) {
        const a = alpha[e * H + h];
        const base = e * D + h * hd;
        const ob = o + h * hd;
        let acc = 0;
        for (let d = 0; d < hd; d++) {
          const g = dy[ob + d];
          dx[base + d] = a * g;
          acc += g * x[base + d];
        }
        dAlpha[e * H + h] = acc;
      }
    }
  },
};
