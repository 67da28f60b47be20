import * as tf from '@tensorflow/tfjs-core';

/**
 * max over the middle axis of x [B, M, D] → [B, D], with the gradient routed to ONE maximising row per (b, d):
 * the first. tfjs' own Max gradient multiplies dy by the mask `x == max`, so every row that ties for the maximum
 * receives the whole dy — a gradient k times too large where k rows tie. Ties are the rule in a graph readout
 * (identical gates with identical neighbourhoods have bit-identical states): on the optimizer's circuits the tfjs
 * gradient disagreed with finite differences by up to 10× for the layers below the readout, and with how the
 * backend happened to round (tie or no tie), so it even changed with the BLAS in use and with how a batch was cut
 * among data-parallel workers. The first argmax is a valid subgradient and the same on every path.
 * Computed on the host (wasm and cpu tensors live in host memory): one pass forward, one scatter backward.
 * @example maxOverRows(tf.add(padded, bias)) // [B, D] max readout of padded node states
 */
export function maxOverRows(x: tf.Tensor3D): tf.Tensor2D {
  const [B, M, D] = x.shape;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xIn = inputs[0] as tf.Tensor3D;
    const v = xIn.dataSync() as Float32Array;
    const out = new Float32Array(B * D);
    const arg = new Int32Array(B * D);
    for (let b = 0; b < B; b++) {
      for (let d = 0; d < D; d++) {
        let best = -Infinity;
        let at = 0;
        for (let m = 0; m < M; m++) {
          const value = v[(b * M + m) * D + d];
          if (value > best) {
            best = value;
            at = m;
          }
        }
        out[b * D + d] = best;
        arg[b * D + d] = at;
      }
    }
    return {
      value: tf.tensor2d(out, [B, D]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(B * M * D);
        for (let b = 0; b < B; b++) for (let d = 0; d < D; d++) dx[(b * M + arg[b * D + d]) * D + d] = g[b * D + d];
        return [tf.tensor3d(dx, [B, M, D])];
      },
    };
  });
  return f(x) as tf.Tensor2D;
}
