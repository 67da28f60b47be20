/**
 * Labels of a circuit: the smallest lattice parameters reaching 128-bit security for its multiplicative depth
 * and size (the estimator's parameter search), and the resulting security, hardness and proof size.
 */
import { searchParameters } from '../../../lattice/param-search.js';
import type { Circuit } from './circuit.js';

/** Security level every label is searched for, in bits. */
export const TARGET_SECURITY_BITS = 128;

/** The six label values of one circuit, in the column order of `TARGET_NAMES` then `METRIC_NAMES`. */
export interface CircuitLabels {
  readonly targets: readonly [n: number, logQ: number, sigma: number];
  readonly metrics: readonly [bitSecurity: number, hardness: number, proofSize: number];
}

/** Computes labels from a circuit's statistics. */
export type Labeller = (circuit: Pick<Circuit, 'nNodes' | 'nMults' | 'circuitMultDepth'>) => CircuitLabels;

/**
 * The real labeller: `searchParameters` from the estimator, memoised on (multDepth, nNodes, nMults) because
 * many circuits share those three numbers and the search is deterministic in them.
 *
 * @example
 * const label = createLabeller();
 * const { targets, metrics } = label(generateCircuit(new Rng(42, 0)));
 */
export function createLabeller(): Labeller {
  const cache = new Map<string, CircuitLabels>();
  return (circuit) => {
    const key = `${circuit.circuitMultDepth}/${circuit.nNodes}/${circuit.nMults}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const p = searchParameters({
      multDepth: circuit.circuitMultDepth,
      nNodes: circuit.nNodes,
      nMults: circuit.nMults,
      targetBits: TARGET_SECURITY_BITS,
    });
    const labels: CircuitLabels = { targets: [p.n, p.logQ, p.sigma], metrics: [p.bitSecurity, p.hardness, p.proofSize] };
    cache.set(key, labels);
    return labels;
  };
}
