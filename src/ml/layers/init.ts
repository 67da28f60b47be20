import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';

let instances = 0;

/** Creates variables with names unique per model instance (tfjs refuses two variables of the same name). */
export class VariableFactory {
  readonly #rng: Rng;
  readonly #prefix: string;
  readonly all: tf.Variable[] = [];
  /**
   * @param seed every initial weight is drawn from `Rng(seed, stream)`, in creation order
   * @param prefix variable names are `<prefix><instance>/<name>`
   */
  constructor(seed: number, o: { prefix: string; stream: number }) {
    this.#rng = new Rng(seed, o.stream);
    this.#prefix = `${o.prefix}${instances++}`;
  }

  /** Glorot/Xavier uniform, limit sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
  glorot(name: string, shape: readonly [number, number]): tf.Variable {
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    const values = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < values.length; i++) values[i] = this.#rng.uniform(-limit, limit);
    return this.#make(name, tf.tensor2d(values, [shape[0], shape[1]]));
  }

  /** Normal(0, std²) weights (GPT-2's initialisation uses std 0.02). */
  normal(name: string, shape: readonly [number, number], std: number): tf.Variable {
    const values = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < values.length; i++) values[i] = this.#rng.normal() * std;
    return this.#make(name, tf.tensor2d(values, [shape[0], shape[1]]));
  }

  constant(name: string, size: number, value: number): tf.Variable {
    return this.#make(name, tf.fill([size], value));
  }

  #make(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.#prefix}/${name}`);
    init.dispose();
    this.all.push(v);
    return v;
  }
}
