import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPruner, isPrunerName } from '../../src/pruners/index.js';
import type { FrozenTrial, StudyDirection } from '../../src/core/frozen.js';
import { frozenTrial } from './trial-fixtures.js';

/**
 * Replays the studies recorded by fixtures/optuna-parity.py (Optuna 3.1, sequential trials, should_prune after
 * every report) and checks that each trial stops at the same step. Regenerate the JSON with the command in
 * that script.
 */
interface Scenario {
  readonly name: string;
  readonly pruner: string;
  readonly options: Record<string, unknown>;
  readonly direction: StudyDirection;
  readonly trials: readonly { readonly series: readonly (readonly [number, number | null])[]; readonly prunedAt: number | null }[];
}

function loadScenarios(): Scenario[] {
  // Compiled to dist/tests/pruners/; the fixture stays in the source tree.
  const path = fileURLToPath(new URL('../../../tests/pruners/fixtures/optuna-parity.json', import.meta.url));
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  assert.ok(typeof data === 'object' && data !== null && 'scenarios' in data && Array.isArray(data.scenarios), 'fixture shape');
  const scenarios = data.scenarios as Scenario[];
  assert.ok(scenarios.length >= 10, 'fixture holds the recorded scenarios');
  return scenarios;
}

/**
 * With minResource / maxResource 'auto', Optuna's pruner has no rungs until a trial completes, so the trials run
 * before that (here: until the first COMPLETE one) never record rung values and never compete; our pure pruners
 * read every trial's reports (see successive-halving.ts). To replay Optuna's study those trials keep only their
 * last step, as NaN, which no rung counts but which still sets the 'auto' resource.
 */
function isAuto(sc: Scenario): boolean {
  return (sc.pruner === 'asha' && sc.options.minResource === undefined) || (sc.pruner === 'hyperband' && sc.options.maxResource === undefined);
}

/** Runs the scenario's trials one after another through our pruner; returns each trial's stop step. */
function replay(sc: Scenario): (number | null)[] {
  assert.ok(isPrunerName(sc.pruner), `pruner ${sc.pruner}`);
  const options = sc.pruner === 'hyperband' ? { ...sc.options, studyName: sc.name } : sc.options;
  const pruner = createPruner(sc.pruner, options);
  const finished: FrozenTrial[] = [];
  const stops: (number | null)[] = [];
  for (const [number, spec] of sc.trials.entries()) {
    const values: Record<number, number> = {};
    let prunedAt: number | null = null;
    for (const [step, v] of spec.series) {
      values[step] = v ?? Number.NaN;
      const running = frozenTrial({ number, state: 'RUNNING', values });
      if (pruner.prune({ direction: sc.direction, trials: [...finished, running] }, running, step)) {
        prunedAt = step;
        break;
      }
    }
    const [lastStep, last] = spec.series[spec.series.length - 1];
    const state = prunedAt !== null ? 'PRUNED' : last === null ? 'FAIL' : 'COMPLETE';
    const unranked = isAuto(sc) && !finished.some((t) => t.state === 'COMPLETE');
    finished.push(frozenTrial({ number, state, values: unranked ? { [lastStep]: Number.NaN } : values }));
    stops.push(prunedAt);
  }
  return stops;
}

for (const sc of loadScenarios()) {
  test(`${sc.name}: every trial stops at the step Optuna 3.1 stopped it`, () => {
    assert.deepEqual(replay(sc), sc.trials.map((t) => t.prunedAt));
  });
}
