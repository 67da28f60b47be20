import * as tf from '@tensorflow/tfjs-core';
import { hostFloat32Tensor, hostFloat32View } from '../../../ml/kernels/host-tensor.js';
import { assertShape } from '../../../ml/layers/shapes.js';
import type { GraphBatch } from '../batching.js';

/**
 * The graph network's readout as one op: each circuit's mean ‖ max over its nodes' states ‖ its graph inputs,
 * [B, 2D + G], from the node states h [N, D] and the batch's readout slots. The composed readout (gat-model.ts
 * `composedReadout`) pads the circuits through a gather from h with a zero row appended, then sums, divides, adds
 * the padding bias and takes the max (ml/kernels/max-over-rows.ts), and concatenates; its backward pass splits the
 * concatenations, whose stock slice kernel copies the whole gradient out of the wasm heap for every piece, and the
 * sum's gradient builds a JS array of ones as large as the padded states. Here the forward pass is one loop over
 * the slots and the backward pass one scatter into dh, with no JS buffers (host-tensor.ts) and ~10 kernels fewer.
 *
 * Same bits as the composed form, forward and backward: the sum runs in float32 over the slots in order (the wasm
 * Sum kernel's order, padding slots adding +0), the mean is one float32 division, the max takes the first of tied
 * maxima of fround(state + bias) (max-over-rows.ts says why the first), and a node's gradient is
 * fround(fround(dMean / count) + dMax) + 0 (the tape's sum of the two branches, then the gather's scatter into zeros).
 * tests/subsystems/optimizer/model/fused-gat-layer-matches-the-composed-layer.test.ts checks it.
 */
export function fusedReadout(h: tf.Tensor2D, b: GraphBatch): tf.Tensor2D {
  const [N, D] = h.shape;
  const { nGraphs: B, maxNodes: M } = b;
  const G = b.graphInputs.length / Math.max(1, B);
  assertShape('readout node states', h.shape, [b.nNodes, D]);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const hIn = inputs[0] as tf.Tensor2D;
    // The slot that won each (graph, column)'s max: kept for the backward pass (B · D int32, small).
    const arg = new Int32Array(B * D);
    const value = hostFloat32Tensor([B, 2 * D + G], (out) => {
      const x = hostFloat32View(hIn);
      const width = 2 * D + G;
      for (let g = 0; g < B; g++) {
        // Slot by slot over whole rows of h (a column walk per (graph, d) strode D floats at a time); the output
        // row holds the running float32 sum and max, which is the same rounding as fround after every step.
        const row = g * width;
        for (let d = 0; d < D; d++) {
          out[row + d] = 0;
          out[row + D + d] = -Infinity;
          arg[g * D + d] = 0;
        }
        for (let m = 0; m < M; m++) {
          const idx = b.readoutIndex[g * M + m];
          const bias = b.readoutBias[g * M + m];
          // A padding slot adds +0 to the sum (no change: the sum starts at +0, so it is never −0) and offers
          // fround(0 + bias) to the max.
          const real = idx < N;
          for (let d = 0; d < D; d++) {
            const v = real ? x[idx * D + d] : 0;
            if (real) out[row + d] += v;
            const biased = Math.fround(v + bias);
            if (biased > out[row + D + d]) {
              out[row + D + d] = biased;
              arg[g * D + d] = m;
            }
          }
        }
        for (let d = 0; d < D; d++) out[row + d] /= b.nodeCounts[g];
        for (let k = 0; k < G; k++) out[row + 2 * D + k] = b.graphInputs[g * G + k];
      }
    }) as tf.Tensor2D;
    return {
      value,
      gradFunc: (dy: tf.Tensor) => [
        hostFloat32Tensor([N, D], (dh) => {
          const gy = hostFloat32View(dy);
          const width = 2 * D + G;
          dh.fill(0);
          for (let g = 0; g < B; g++) {
            for (let m = 0; m < M; m++) {
              const idx = b.readoutIndex[g * M + m];
              if (idx >= N) continue;
              for (let d = 0; d < D; d++) {
                const dMean = Math.fround(gy[g * width + d] / b.nodeCounts[g]);
                const dMax = arg[g * D + d] === m ? gy[g * width + D + d] : 0;
                dh[idx * D + d] = Math.fround(dMean + dMax) + 0;
              }
            }
          }
        }),
      ],
    };
  });
  return f(h) as tf.Tensor2D;
}
