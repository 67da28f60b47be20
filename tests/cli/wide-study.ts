import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from './cli.js';

export interface TrialJson {
  readonly number: number;
  readonly state: string;
  readonly value: number | null;
  readonly params: Readonly<Record<string, number>>;
  readonly error: { readonly message: string } | null;
  readonly durationMs: number | null;
  readonly runMs: number | null;
  readonly datetimeStart: string | null;
  readonly runStartedAt: string | null;
  readonly datetimeComplete: string | null;
}

/** Without $COLUMNS the child's stdout is a pipe: tables are not cut. */
export const PIPED = { COLUMNS: undefined } as const;

/**
 * A study of the `wide` fixture (twelve parameters p0…p11; trials with p0 > 0.6 fail with a long message holding
 * quotes, a comma and a second line) in a fresh store, with its trials as `tune trials --json` gives them.
 */
export function wideStudy(): { storage: string; trials: TrialJson[] } {
  const storage = tempStore();
  const run = tune(['--objective', fixture('wide'), '--trials', '8', '--study', 'w', '--seed', '1', '--workers', '0', '--storage', storage]);
  assert.equal(run.status, 1, `some trials fail by design: ${run.stderr}`);
  const trials = JSON.parse(tune(['trials', '--study', 'w', '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.ok(trials.some((t) => t.state === 'FAIL') && trials.some((t) => t.state === 'COMPLETE'), 'the study needs both kinds of rows');
  return { storage, trials };
}

export const NATURAL_PARAMS = Array.from({ length: 12 }, (_, i) => `p${i}`);
