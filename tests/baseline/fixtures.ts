import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A baseline as `tune export-baseline` writes it, for `subsystem`. */
export function exportedBaseline(subsystem = 'optimizer', config: Record<string, unknown> = { learning_rate: 3e-4, epochs: 2 }): Record<string, unknown> {
  return {
    parzenBaseline: 1,
    subsystem,
    objective: null,
    metric: 'val_loss',
    direction: 'minimize',
    config,
    params: { learning_rate: config['learning_rate'] ?? 3e-4 },
    provenance: {
      study: subsystem,
      storage: 'sqlite:/tmp/tuning.db',
      trialNumber: 7,
      value: 0.25,
      seed: 42,
      objectiveSeed: 123456789,
      budget: { epochs: 2, batchCap: 50 },
      trialCodeVersion: 'parzen@0.1.0',
      completedAt: '2025-01-01T00:00:00.000Z',
      exportedAt: '2025-01-01T00:00:01.000Z',
      exportedBy: 'parzen@0.1.0',
    },
  };
}

/** Writes `value` (JSON, or raw text) to a fresh temp file and returns its path. */
export function baselineFile(value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-baseline-')), 'baseline.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}
