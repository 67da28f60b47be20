import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../errors.js';
import { hostFloat32Tensor, hostFloat32View } from './host-tensor.js';

/**
 * Mean softmax cross-entropy of integer targets, −(1/N) Σ_i log softmax(z_i)[t_i], computed on the host with its
 * gradient (softmax(z) − onehot(t)) / N formed in the same pass. No one-hot tensor is built: on wasm a float32
 * `tf.oneHot` returns integer bit patterns (so callers had to go through int32 and a cast), and the one-hot,
 * the product and the sum were three more ops over [N, V]. Row maxima are subtracted before exp (log-sum-exp).
 * The logits are read in place and the gradient written straight into the backend's memory (host-tensor.ts), saved
 * for the backward pass as a tensor: no JS buffer per call.
 * @example sparseSoftmaxCrossEntropy(logits, batch.targets) // scalar, nats per token
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  const [n, vocab] = logits.shape;
  if (targets.length !== n) {
    throw new TrainingError(`sparseSoftmaxCrossEntropy: ${targets.length} targets for ${n} rows of logits; give one target per row`, { code: 'SHAPE' });
  }
  // Checked before the gradient's tensor is allocated, so a bad target leaves nothing behind.
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (!(t >= 0 && t < vocab)) {
      throw new TrainingError(`sparseSoftmaxCrossEntropy: target ${t} at position ${i} is outside the vocabulary [0, ${vocab})`, { code: 'SHAPE' });
    }
  }
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs[1] as tf.GradSaveFunc;
    let total = 0;
    const grad = hostFloat32Tensor([n, vocab], (g) => {
      const z = hostFloat32View(inputs[0] as tf.Tensor);
      for (let i = 0; i < n; i++) {
        const t = targets[i];
        const row = i * vocab;
        let max = -Infinity;
        for (let j = 0; j < vocab; j++) if (z[row + j] > max) max = z[row + j];
        let sum = 0;
        for (let j = 0; j < vocab; j++) sum += Math.exp(z[row + j] - max);
        const logSum = max + Math.log(sum);
        total += logSum - z[row + t];
        for (let j = 0; j < vocab; j++) g[row + j] = Math.exp(z[row + j] - logSum) / n;
        g[row + t] -= 1 / n;
      }
    });
    save([grad]);
    return {
      value: tf.scalar(total / n),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0], dy)],
    };
  });
  return f(logits) as tf.Scalar;
}
