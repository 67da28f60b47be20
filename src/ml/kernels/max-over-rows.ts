import * as tf from '@tensorflow/tfjs-core';
import { hostFloat32Tensor, hostFloat32View } from './host-tensor.js';

/**
 * max over the middle axis of x [B, M, D] → [B, D], with the gradient routed to ONE maximising row per (b, d):
 * the first. tfjs' own Max gradient multiplies dy by the mask `x == max`, so every row that ties for the maximum
 * receives the whole dy — a gradient k times too large where k rows tie. Ties are the rule in a graph readout
 * (identical gates with identical neighbourhoods have bit-identical states): on the optimizer's circuits the tfjs
 * gradient disagreed with finite differences by up to 10× for the layers below the readout, and with how the
 * backend happened to round (tie or no tie), so it even changed with the BLAS in use and with how a batch was cut
 * among data-parallel workers. The first argmax is a valid subgradient and the same on every path.
 * Computed on the host (wasm and cpu tensors live in host memory): one pass forward, one scatter backward, reading
 * the inputs in place and writing the outputs straight into the backend's memory (host-tensor.ts: no JS buffers).
 * @example maxOverRows(tf.add(padded, bias)) // [B, D] max readout of padded node states
 */
export function maxOverRows(x: tf.Tensor3D): tf.Tensor2D {
  const [B, M, D] = x.shape;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xIn = inputs[0] as tf.Tensor3D;
    // Which row won, per (b, d): kept for the backward pass (a small host array, B · D int32).
    const arg = new Int32Array(B * D);
    const value = hostFloat32Tensor([B, D], (out) => {
      const v = hostFloat32View(xIn);
      for (let b = 0; b < B; b++) {
        for (let d = 0; d < D; d++) {
          let best = -Infinity;
          let at = 0;
          for (let m = 0; m < M; m++) {
            const x = v[(b * M + m) * D + d];
            if (x > best) {
              best = x;
              at = m;
            }
          }
          out[b * D + d] = best;
          arg[b * D + d] = at;
        }
      }
    }) as tf.Tensor2D;
    return {
      value,
      gradFunc: (dy: tf.Tensor) => [
        hostFloat32Tensor([B, M, D], (dx) => {
          const g = hostFloat32View(dy);
          dx.fill(0);
          for (let b = 0; b < B; b++) for (let d = 0; d < D; d++) dx[(b * M + arg[b * D + d]) * D + d] = g[b * D + d];
        }),
      ],
    };
  });
  return f(x) as tf.Tensor2D;
}
