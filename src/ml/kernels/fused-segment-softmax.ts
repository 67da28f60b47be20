import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * Softmax of logits [E, H] over the rows sharing a segment id (GAT's attention over a node's incoming edges,
 * Veličković et al. 2018, eq. 2), per column, in one kernel forward and one backward: in place of the host max
 * shift (a read-back and an upload), Sub, Exp, the segment sum, the gather and RealDiv forward and the ~10 ops of
 * their gradients. Each segment's maximum is subtracted before exp (softmax is shift-invariant), in double.
 * Backward (the softmax Jacobian per segment): dl[e, h] = α[e, h]·(dα[e, h] − Σ_{e' : id(e') = id(e)} α[e', h]·dα[e', h]).
 * Ids must lie in [0, numSegments): the caller's graph indices, checked (a TrainingError names the position).
 */

function checkIds(name: string, shapes: ReadonlyArray<readonly number[]>, at: number): void {
  const x = shapes[at];
  const ids = shapes[shapes.length - 1];
  expectShape(x.length === 2 && ids.length === 1 && ids[0] === x[0], name, () => `input must be [E, H] with segment ids [E], got [${x.join(', ')}] and [${ids.join(', ')}]`);
}

/** Throws TrainingError('SHAPE') naming the first id outside [0, numSegments): the loops below index by id unchecked. */
function checkRange(name: string, ids: Int32Array, numSegments: number): void {
  for (let e = 0; e < ids.length; e++) {
    const s = ids[e];
    if (!(s >= 0 && s < numSegments)) expectShape(false, name, () => `segment id ${s} at position ${e} is outside [0, ${numSegments})`);
  }
}

export const segmentSoftmaxKernel: HostKernel = {
  name: 'ParzenSegmentSoftmax',
  inputs: ['logits'],
  indexInputs: ['segmentIds'],
  outputShapes: (shapes) => {
    checkIds('ParzenSegmentSoftmax', shapes, 0);
    return [[...shapes[0]]];
  },
  compute: ([logits], [alpha], shapes, attrs, [ids]) => {
    const [E, H] = shapes[0];
    const n = Number(attrs['numSegments']);
    const native = nativeKernels();
    if (native !== null) {
      const bad = native.segmentSoftmax(logits, ids, alpha, E, H, n);
      if (bad >= 0) checkRange('ParzenSegmentSoftmax', ids, n);
      return;
    }
    checkRange('ParzenSegmentSoftmax', ids, n);
    const max = new Float64Array(n * H).fill(-Infinity);
    for (let e = 0; e < E; e++) {
      const s = ids[e] * H;
      for (let h = 0; h < H; h++) {
        const v = logits[e * H + h];
        if (v > max[s + h]) max[s + h] = v;
      }
    }
    const sum = new Float64Array(n * H);
    for (let e = 0; e < E; e++) {
      const s = ids[e] * H;
      for (let h = 0; h < H; h++) {
        const ex = Math.exp(logits[e * H + h] - max[s + h]);
        alpha[e * H + h] = ex;
        sum[s + h] += ex;
      }
    }
    for (let e = 0; e < E; e++) {
      const s = ids[e] * H;
      for (let h = 0; h < H; h++) alpha[e * H + h] /= sum[s + h];
    }
  },
};

export const segmentSoftmaxGradKernel: HostKernel = {
  name: 'ParzenSegmentSoftmaxGrad',
  inputs: ['dAlpha', 'alpha'],
  indexInputs: ['segmentIds'],
  outputShapes: (shapes) => {
    checkIds('ParzenSegmentSoftmaxGrad', shapes, 1);
    expectShape(shapes[0].join(',') === shapes[1].join(','), 'ParzenSegmentSoftmaxGrad', () => `dAlpha [${shapes[0].join(', ')}] must match alpha [${shapes[1].join(', ')}]`);
    return [[...shapes[1]]];
  },
  compute: ([dAlpha, alpha], [dLogits], shapes, attrs, [ids]) => {
    const [E, H] = shapes[1];
    const n = Number(attrs['numSegments']);
    checkRange('ParzenSegmentSoftmaxGrad', ids, n);
    const dot = new Float64Array(n * H);
    for (let e = 0; e < E; e++) {
      const s = ids[e] * H;
      for (let h = 0; h < H; h++) dot[s + h] += alpha[e * H + h] * dAlpha[e * H + h];
    }
    for (let e = 0; e < E; e++) {
      const s = ids[e] * H;
      for (let h = 0; h < H; h++) dLogits[e * H + h] = alpha[e * H + h] * (dAlpha[e * H + h] - dot[s + h]);
    }
  },
};
