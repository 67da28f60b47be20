/**
 * Points ⇄ the GP's unit cube: a numeric parameter maps its sampling interval (log space for log ranges, widened
 * by half a step for stepped and integer ones, as every parzen sampler does) onto [0, 1]; a categorical one keeps
 * its choice index, compared by the kernel's Hamming distance.
 */
import type { Distribution, ParamValue } from '../../space/distributions.js';
import { toExternal, toInternal } from '../../space/distributions.js';
import { fromTransformed, toTransformed, transformedBounds } from '../numeric-space.js';

/** The unit-cube coordinate of an external value. */
export function encodeValue(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') return toInternal(d, value);
  const { low, high } = transformedBounds(d);
  if (high === low) return 0.5;
  return (toTransformed(d, toInternal(d, value)) - low) / (high - low);
}

/** The external value at a unit-cube coordinate (rounded onto the step grid, clamped into range). */
export function decodeValue(d: Distribution, u: number): ParamValue {
  if (d.kind === 'categorical') return toExternal(d, Math.max(0, Math.min(d.choices.length - 1, Math.round(u))));
  const { low, high } = transformedBounds(d);
  return fromTransformed(d, low + (high - low) * Math.min(1, Math.max(0, u)));
}

/** A value back through decode ∘ encode, so candidates compare as the values they would suggest. */
export function roundTrip(d: Distribution, u: number): number {
  return encodeValue(d, decodeValue(d, u));
}
