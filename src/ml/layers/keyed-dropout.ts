import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../errors.js';
import { hostFloat32Tensor } from '../kernels/host-tensor.js';

/**
 * Dropout whose mask is a function of (seed, row key, column) alone: element (r, j) is kept iff a 32-bit hash of
 * (seed, rowKeys[r], j) is at least rate · 2³² (murmur3's finalizer, Appleby, as a counter-based generator in the
 * manner of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011). A row keeps its mask wherever
 * it lands: the same example in a whole batch or in a data-parallel replica's share of it gets the same mask, so
 * replicas reproduce one worker's dropout draw for draw. tfjs' seeded `dropout` lays the mask out in element order
 * instead, so a row's mask depends on its position in the tensor.
 */

/** murmur3's 32-bit finalizer: a bijection on uint32 whose output bits each depend on every input bit. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes two uint32 values into one (order matters). */
export function mix32(a: number, b: number): number {
  return fmix32((fmix32(a) + Math.imul(b >>> 0, 0x9e3779b9)) >>> 0);
}

/** The host mask of `keyedDropout`: 0 for a dropped element, 1 / (1 − rate) for a kept one, row-major [rows, cols]. */
export function keyedMask(o: KeyedMaskOptions): Float32Array {
  checkRate(o.rate);
  const out = new Float32Array(o.rowKeys.length * o.cols);
  fillKeyedMask(out, o);
  return out;
}

interface KeyedMaskOptions {
  readonly rate: number;
  readonly seed: number;
  readonly rowKeys: Int32Array;
  readonly cols: number;
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`dropout: expected a rate in [0, 1), got ${rate}`);
}

/** `keyedMask` written into `out` (length rows · cols), every element (0 or the scale); the rate checked by the caller. */
function fillKeyedMask(out: Float32Array, o: KeyedMaskOptions): void {
  const threshold = o.rate * 2 ** 32;
  const scale = Math.fround(1 / (1 - o.rate));
  for (let r = 0; r < o.rowKeys.length; r++) {
    const row = mix32(o.seed, o.rowKeys[r]);
    const base = r * o.cols;
    for (let j = 0; j < o.cols; j++) out[base + j] = fmix32((row + Math.imul(j + 1, 0x9e3779b9)) >>> 0) >= threshold ? scale : 0;
  }
}

/**
 * `keyedMask` as a float32 tensor of `shape` (rows · cols elements), written straight into the backend's memory
 * (ml/kernels/host-tensor.ts: no JS buffer per mask, which at the graph network's size was most of a step's
 * external allocations).
 */
export function keyedMaskTensor(shape: readonly number[], o: KeyedMaskOptions): tf.Tensor {
  if (shape.reduce((a, b) => a * b, 1) !== o.rowKeys.length * o.cols) throw new ConfigError(`dropout: a mask of ${o.rowKeys.length} × ${o.cols} does not fill shape [${shape.join(', ')}]`);
  checkRate(o.rate);
  return hostFloat32Tensor(shape, (out) => fillKeyedMask(out, o));
}

/**
 * `x` [rows, cols] with the keyed mask applied (rate 0: `x` itself). The mask is a constant, so the gradient is dy
 * times the same mask, as for tfjs' dropout.
 * @example const y = keyedDropout(h, { rate: 0.1, seed: 7, rowKeys: nodeKeys });
 */
export function keyedDropout<T extends tf.Tensor>(x: T, o: { readonly rate: number; readonly seed: number; readonly rowKeys: Int32Array }): T {
  if (o.rate === 0) return x;
  const [rows, ...rest] = x.shape;
  if (rows !== o.rowKeys.length) throw new ConfigError(`dropout: ${o.rowKeys.length} row keys for a tensor of ${rows} rows; give one key per row`);
  const cols = rest.reduce((a, b) => a * b, 1);
  return tf.mul(x, keyedMaskTensor(x.shape, { ...o, cols })) as T;
}

/**
 * The keyed dropout masks of one forward pass: op k's seed is mix(pass seed, k) and rows are keyed by the caller's
 * key arrays, one per kind of row (a graph's nodes, edges and circuits; a language model's positions and heads), so
 * an example draws the same masks whichever data-parallel share of the batch holds it. The ops must run in the same
 * order in every share, as one model's forward pass does.
 */
export class KeyedDropoutPlan<K extends string> {
  readonly #seed: number;
  readonly #keys: Readonly<Record<K, Int32Array>>;
  #op = 0;

  constructor(seed: number, keys: Readonly<Record<K, Int32Array>>) {
    this.#seed = seed;
    this.#keys = keys;
  }

  apply<T extends tf.Tensor>(x: T, rows: K, rate: number): T {
    return keyedDropout(x, { rate, seed: mix32(this.#seed, this.#op++), rowKeys: this.#keys[rows] });
  }

  /**
   * The mask `apply` would multiply the next op's [rows, cols] tensor by, for a fused op that applies it itself: a
   * float32 tensor written straight into the backend's memory.
   */
  nextMask(rows: K, rate: number, cols: number): tf.Tensor2D {
    const rowKeys = this.#keys[rows];
    return keyedMaskTensor([rowKeys.length, cols], { rate, seed: mix32(this.#seed, this.#op++), rowKeys, cols }) as tf.Tensor2D;
  }
}
