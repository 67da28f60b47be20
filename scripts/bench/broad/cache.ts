/** The broad benchmark's results: one JSON line per (sampler, problem, seed) in results/<sampler>.jsonl, appended as runs finish. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Curve } from './drivers.js';

export interface RunRecord {
  readonly sampler: string;
  readonly problem: string;
  readonly seed: number;
  readonly trials: number;
  readonly curve: Curve;
  /** Wall-clock seconds of the run (sampler and objective). */
  readonly seconds: number;
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../scripts/bench/broad/results');

export function loadRecords(dir = RESULTS_DIR): RunRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RunRecord));
}

export function appendRecord(r: RunRecord, dir = RESULTS_DIR): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${r.sampler}.jsonl`), `${JSON.stringify(r)}\n`);
}

export const recordKey = (sampler: string, problem: string, seed: number): string => `${sampler}\u0000${problem}\u0000${seed}`;
