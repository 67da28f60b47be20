import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tune } from './cli.js';

/** A study folder with a few hundred generated circuits and a config that keeps the optimizer's trials small. */
export function smallOptimizerStudy(): { cwd: string; base: string[] } {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-trial-train-workers-'));
  const g = tune(['datasets', 'generate', 'optimizer', '--train', '40', '--val', '16', '--test', '16', '--json'], { cwd });
  assert.equal(g.status, 0, g.stderr);
  const space = pathToFileURL(resolve('dist/src/space/distributions.js')).href;
  writeFileSync(join(cwd, 'tuning.config.mjs'), [
    `import { categorical, float } from ${JSON.stringify(space)};`,
    'export default { subsystems: { optimizer: {',
    '  space: { hidden_dim: categorical([16]), num_layers: categorical([2]), num_heads: categorical([4]), learning_rate: float(1e-3, 3e-3, { log: true }) },',
    "  full: { batch_size: 4, tuning_val_circuits: 8, backend: 'wasm' },",
    '} } };',
  ].join('\n'));
  return { cwd, base: ['--config', 'tuning.config.mjs', '--subsystem', 'optimizer', '--epochs', '1', '--batch-cap', '2', '--storage', `sqlite:${join(cwd, 'tuning.db')}`] };
}

