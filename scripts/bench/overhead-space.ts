/**
 * The five-parameter space and objective of /work/shared/peers/optuna_overhead.py, shared by the TPE overhead
 * benchmarks so that parzen and the Optuna peer time exactly the same problem.
 */
import { categorical, float, int } from '../../src/space/distributions.js';
import type { ParamValue } from '../../src/space/distributions.js';

export const SPACE = {
  hidden_dim: categorical([128, 256, 384]),
  num_layers: int(3, 8),
  num_heads: categorical([4, 8]),
  dropout: float(0.05, 0.3),
  learning_rate: float(1e-5, 5e-4, { log: true }),
};

export function objective(p: Readonly<Record<string, ParamValue>>): number {
  const lr = p.learning_rate as number;
  return (Math.log10(lr) + 4.2) ** 2 + ((p.dropout as number) - 0.24) ** 2 + Math.abs((p.num_layers as number) - 7) * 0.05 +
    (p.hidden_dim !== 256 ? 0.1 : 0) + (p.num_heads !== 8 ? 0.05 : 0);
}

/** `--name value` from argv, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
