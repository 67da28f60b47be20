import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float } from '../../src/space/distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../../src/core/frozen.js';
import { ObservationColumns, type ObserveOptions, type Observations } from '../../src/samplers/tpe/observations.js';
import { Rng } from '../../src/util/rng.js';

const X = float(0, 1);
const WIDER = float(0, 2);

function trial(studyId: number, number: number, state: TrialState, x: number | undefined, value: number | null): FrozenTrial {
  return {
    trialId: studyId * 1000 + number, studyId, number, state, value, params: x === undefined ? {} : { x, y: x }, distributions: { x: X },
    intermediateValues: new Map(state === 'PRUNED' && number % 2 === 0 ? [[number % 5, value ?? 0]] : []), userAttrs: {}, systemAttrs: {},
    datetimeStart: null, datetimeComplete: null, heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
  };
}

function plain(o: Observations): unknown {
  return { steps: [...o.steps], keys: [...o.keys], numbers: [...o.numbers], losses: [...o.losses], nFinished: o.nFinished, x: [...o.column('x', X)], wide: [...o.column('y', WIDER)], narrowAfterWide: [...o.column('y', X)] };
}

const STATES: TrialState[] = ['COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'];

test('columns kept across calls give what a fresh walk over the same trials gives, whatever changes between calls', () => {
  const rng = new Rng(5);
  const kept = new ObservationColumns();
  let studyId = 1;
  let trials: FrozenTrial[] = [];
  let direction: StudyDirection = 'minimize';
  // The previous call's observations, read again after a later call read its own: they must not change.
  let previous: { obs: Observations; trials: FrozenTrial[]; o: ObserveOptions } | null = null;
  for (let step = 0; step < 400; step++) {
    const u = rng.random();
    if (u < 0.02) {
      studyId++; // another study's list: the columns must start over
      trials = [];
    } else if (u < 0.04) {
      direction = direction === 'minimize' ? 'maximize' : 'minimize';
    }
    // A new trial, or an unfinished one finishing (out of order).
    const open = trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING');
    if (open.length > 0 && rng.random() < 0.4) {
      const t = open[rng.int(open.length)];
      const state = STATES[rng.int(4)];
      trials[t.number] = trial(studyId, t.number, state, t.params.x as number | undefined, state === 'COMPLETE' ? rng.random() : null);
    } else {
      const state = STATES[rng.int(STATES.length)];
      const x = rng.random() < 0.1 ? undefined : rng.random() * 1.5;
      trials.push(trial(studyId, trials.length, state, x, state === 'COMPLETE' ? rng.random() : null));
    }
    // Usually the trial being sampled is the newest; sometimes a finished one is excluded.
    const exclude = rng.random() < 0.1 && trials.length > 0 ? rng.int(trials.length) : trials.length;
    const o: ObserveOptions = { direction, constantLiar: rng.random() < 0.5, exclude };
    const snapshot = [...trials];
    const obs = kept.observe(snapshot, o);
    assert.deepStrictEqual(plain(obs), plain(new ObservationColumns().observe(snapshot, o)), `step ${step}`);
    if (previous !== null) {
      assert.deepStrictEqual(plain(previous.obs), plain(new ObservationColumns().observe(previous.trials, previous.o)), `step ${step}, read late`);
    }
    previous = { obs, trials: snapshot, o };
  }
});
