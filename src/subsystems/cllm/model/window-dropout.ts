import { KeyedDropoutPlan } from '../../../ml/layers/keyed-dropout.js';

/** A cllm pass's keyed dropout: activations [B·T, C] by position, attention probabilities [B·H, T, T] by head. */
export type WindowDropout = KeyedDropoutPlan<'position' | 'head'>;

/**
 * The keyed dropout masks of one cllm training forward pass (ml/layers/keyed-dropout.ts), rows keyed by the window's
 * index in the whole batch: row (b, t) of the activations is window·T + t, row (b, h) of the attention probabilities
 * window·H + h. A window then draws the same masks in a single worker's batch and in a data-parallel replica's share
 * of it; tfjs' seeded dropout lays a mask out by position, so every replica's window i drew the same mask and none
 * drew the single worker's.
 */
export function windowDropout(o: { readonly seed: number; readonly windowKeys: Int32Array; readonly time: number; readonly nHead: number }): WindowDropout {
  const rowKeys = (per: number): Int32Array => Int32Array.from({ length: o.windowKeys.length * per }, (_, r) => o.windowKeys[Math.floor(r / per)] * per + (r % per));
  return new KeyedDropoutPlan(o.seed, { position: rowKeys(o.time), head: rowKeys(o.nHead) });
}
