/**
 * Reading a modulus from the command line (`tune estimate --q …`) as log2 q.
 */
import { ConfigError } from '../errors.js';

const FORMS = 'write it as 12289, 2^27, 2**27 or logq:27';

function usage(text: string, why: string): ConfigError {
  return new ConfigError(`\`--q\`: cannot use ${JSON.stringify(text)} as a modulus (${why}); ${FORMS}`, { code: 'USAGE' });
}

/** log2 of a non-negative decimal integer of any length, exact to double precision. */
function log2OfDecimal(digits: string): number {
  const value = BigInt(digits);
  const bits = value.toString(2).length;
  if (bits <= 53) return Math.log2(Number(value));
  // Keep the top 53 bits: log2(top · 2^shift) = log2(top) + shift.
  const shift = bits - 53;
  return Math.log2(Number(value >> BigInt(shift))) + shift;
}

/**
 * Parses a modulus and returns log2 q. Accepts a decimal integer (`12289`), a power of two (`2^27`,
 * `2**27`) or log2 q directly (`logq:27`, which may be fractional). The modulus must exceed 1.
 *
 * @example
 * parseModulus('2^27');   // 27
 * parseModulus('12289');  // 13.585…
 * parseModulus('logq:54'); // 54
 */
export function parseModulus(text: string): number {
  if (typeof text !== 'string' || text.trim() === '') throw usage(String(text), 'it is empty');
  const t = text.trim().toLowerCase();
  let logQ: number;
  const power = /^2\s*(?:\^|\*\*)\s*([0-9]+(?:\.[0-9]+)?)$/.exec(t);
  const direct = /^log2?q\s*[:=]\s*([0-9]+(?:\.[0-9]+)?)$/.exec(t);
  if (power) logQ = Number(power[1]);
  else if (direct) logQ = Number(direct[1]);
  else if (/^[0-9]+$/.test(t)) logQ = log2OfDecimal(t);
  else throw usage(text, 'not a number, a power of two or logq:<bits>');
  if (!Number.isFinite(logQ)) throw usage(text, 'it is not finite');
  if (logQ <= 0) throw usage(text, 'q must be greater than 1');
  return logQ;
}
