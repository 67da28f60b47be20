import * as tf from '@tensorflow/tfjs-core';

/** Runs `f` in a tidy scope and reads its scalar result back, freeing every tensor it made. */
export function tidyScalar(f: () => tf.Scalar): number {
  const t = tf.tidy(f);
  try {
    return t.dataSync()[0];
  } finally {
    t.dispose();
  }
}
