import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fhe from '../../../src/subsystems/fhe/index.js';

let shared: Promise<string> | undefined;

/** A datasets root holding the shipped breast-cancer data, split and standardised (built once per test file). */
export function tinyDatasets(): Promise<string> {
  shared ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'parzen-fhe-'));
    await fhe.datasets.prepare({ datasetsDir: root, seed: 3, log: () => undefined });
    return root;
  })();
  return shared;
}

/**
 * Small but real encryption: N = 8192 with a 24-bit scale is the smallest 128-bit-secure ring that fits one
 * degree-3 iteration (6 levels); keys take about a second, an iteration over the 3 blocks well under one.
 */
export const TINY_PARAMS = { ...fhe.defaults.full, poly_modulus_degree: 8192, scale_bits: 24, sigmoid_degree: 3, iterations: 2 } as const;
