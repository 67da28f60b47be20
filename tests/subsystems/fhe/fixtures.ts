import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CSV } from '../../../src/subsystems/fhe/dataset/store.js';
import fhe from '../../../src/subsystems/fhe/index.js';

let shared: Promise<string> | undefined;

/**
 * A datasets root holding the first 180 rows of the shipped breast-cancer data (real rows, both classes), split and
 * standardised through `prepare --csv`: ~117 training rows, one ciphertext block at N = 8192. Built once per file.
 */
export function tinyDatasets(): Promise<string> {
  shared ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'parzen-fhe-'));
    const csv = join(root, 'wdbc-180.csv');
    writeFileSync(csv, `${readFileSync(DEFAULT_CSV, 'utf8').split('\n').slice(0, 181).join('\n')}\n`);
    await fhe.datasets.prepare({ datasetsDir: root, seed: 3, args: { csv, label: 'malignant' }, log: () => undefined });
    return root;
  })();
  return shared;
}

/**
 * Small but real encryption: N = 8192 with a 24-bit scale is the smallest 128-bit-secure ring that fits one
 * degree-3 iteration (6 levels); keys take about a second, an iteration over the one block well under one.
 */
export const TINY_PARAMS = { ...fhe.defaults.full, poly_modulus_degree: 8192, scale_bits: 24, sigmoid_degree: 3, iterations: 2 } as const;
