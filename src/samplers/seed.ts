import { randomInt } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * The seed a sampler uses: the given one, validated, or a fresh random one when none was given (such a
 * sampler is deliberately not reproducible, as in Optuna with `seed=None`).
 */
export function resolveSeed(owner: string, seed: number | undefined): number {
  if (seed === undefined) return randomInt(0, 2 ** 32);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ConfigError(`${owner}.seed: expected a non-negative integer, got ${String(seed)}; pass e.g. { seed: 42 } or leave it out`);
  }
  return seed;
}
