/**
 * Human-readable report of an estimate, for `tune estimate`.
 */
import type { LweEstimate, LweParameters } from './primal-usvp.js';

function bits(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(1)} bits` : '∞ (the primal attack does not apply)';
}

/**
 * Formats an estimate as aligned `label  value` lines; with `params`, the instance is printed first.
 *
 * @example
 * const p = { n: 1024, logQ: 27, sigma: 3.2, secret: 'ternary' } as const;
 * console.log(formatEstimate(estimateLwe(p), p));
 */
export function formatEstimate(result: LweEstimate, params?: LweParameters): string {
  const rows: Array<[string, string]> = [];
  if (params) {
    rows.push(['n', String(params.n)]);
    rows.push(['log2 q', Number.isInteger(params.logQ) ? String(params.logQ) : params.logQ.toFixed(3)]);
    rows.push(['sigma', String(params.sigma)]);
    rows.push(['secret', params.secret ?? 'gaussian']);
    rows.push(['samples allowed', String(params.m ?? 2 * params.n)]);
    rows.push(['cost model', params.costModel ?? 'core-svp']);
  }
  const feasible = Number.isFinite(result.blockSize);
  rows.push(['attack', 'primal uSVP, GSA (ADPS16 condition)']);
  rows.push(['block size b', feasible ? String(result.blockSize) : '—']);
  rows.push(['samples m', String(result.samples)]);
  rows.push(['dimension d', String(result.dimension)]);
  rows.push(['root-Hermite δ', feasible ? result.delta.toFixed(6) : '—']);
  rows.push(['classical', bits(result.classicalBits)]);
  rows.push(['quantum', bits(result.quantumBits)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
