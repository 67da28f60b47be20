import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import { splitObservations, splitTrials } from '../../src/samplers/tpe/split-trials.js';
import { ObservationColumns } from '../../src/samplers/tpe/observations.js';
import { RepeatMemo, nearObservations, observedTrials, samePointWithin } from '../../src/samplers/tpe/tied-values.js';
import { ConfigError } from '../../src/errors.js';
import { type ParamValue, type SearchSpace, categorical, float, int } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { frozenTrial, optimize } from './fixtures.js';

// A plateau at 1 reached at four points of [0, 10]: trial 2 is trial 1 again up to 0.005 of the axis, trial 4 is
// 0.02 of the axis from trial 3, trial 3 is far from both; 'near' must tell the first from the others.
const x = float(0, 10);
const points: [number, number][] = [[0, 3], [5, 1], [5.05, 1], [8, 1], [8.2, 1], [2, 2], [9, 4]];
const history: FrozenTrial[] = points.map(([at, value], number) => frozenTrial({ number, value, params: { x: at }, distributions: { x } }));

function repeatsAndGood(tiedValues: 'above' | 'near', tiedDistance?: number): { repeat: number[]; below: number[] } {
  const s = splitTrials(history, { direction: 'minimize', constantLiar: false, exclude: 7, nBelow: () => 3 }, tiedValues, tiedDistance);
  const group = (flag: ArrayLike<number> | undefined): number[] => [...s.numbers].filter((_, i) => flag?.[i] === 1);
  return { repeat: group(s.repeat), below: group(s.isBelow) };
}

test("'near' counts a tie as a repeat only at the earlier trial's point, up to tiedDistance of the axis", () => {
  assert.deepEqual(repeatsAndGood('above'), { repeat: [2, 3, 4], below: [0, 1, 5] }, "'above': every tie is a repeat");
  // t = 0.01: only trial 2 (0.005 from trial 1); the plateau points 3 and 4 stay in the ranking.
  assert.deepEqual(repeatsAndGood('near', 0.01), { repeat: [2], below: [1, 3, 4] });
  // t = 0.03: trial 4 is also a repeat (0.02 from trial 3); 3 is 0.3 from the nearest earlier tie.
  assert.deepEqual(repeatsAndGood('near', 0.03), { repeat: [2, 4], below: [1, 3, 5] });
  // t = 0: distinct points are never at the same point.
  assert.deepEqual(repeatsAndGood('near', 0).repeat, []);
});

test('the same point: log ranges in log space, categoricals must match, parameter sets and distributions must agree', () => {
  const lr = float(1e-3, 1e3, { log: true });
  const kind = categorical(['a', 'b']);
  const n = int(1, 101);
  const t = (params: Record<string, ParamValue>, distributions: Record<string, typeof lr | typeof kind | typeof n>): FrozenTrial =>
    frozenTrial({ number: 0, value: 1, params, distributions });
  const base = t({ lr: 1, kind: 'a', n: 50 }, { lr, kind, n });
  // ln(1.1) / ln(1e6) = 0.0069 of the log axis; one integer step of 100 = 0.01 of the axis.
  assert.equal(samePointWithin(t({ lr: 1.1, kind: 'a', n: 50 }, { lr, kind, n }), base, 0.01), true);
  assert.equal(samePointWithin(t({ lr: 1, kind: 'a', n: 51 }, { lr, kind, n }), base, 0.015), true);
  assert.equal(samePointWithin(t({ lr: 1, kind: 'a', n: 52 }, { lr, kind, n }), base, 0.015), false, 'two integer steps');
  assert.equal(samePointWithin(t({ lr: 1.2, kind: 'a', n: 50 }, { lr, kind, n }), base, 0.01), false, 'ln(1.2)/ln(1e6) = 0.013');
  assert.equal(samePointWithin(t({ lr: 1, kind: 'b', n: 50 }, { lr, kind, n }), base, 0.5), false, 'another choice');
  assert.equal(samePointWithin(t({ lr: 1, kind: 'a' }, { lr, kind }), base, 0.5), false, 'another parameter set');
  assert.equal(samePointWithin(t({ lr: 1, kind: 'a', n: 50 }, { lr: float(1e-3, 1e3), kind, n }), base, 0.5), false, 'another distribution');
});

// Distinct points at equal values: a bowl rounded to whole numbers (a plateau of value 0 around (0.7, 0.3)).
const space: SearchSpace = { a: float(0, 1), b: float(0, 1) };
const plateau = (p: Record<string, ParamValue>): number => Math.round(40 * (((p.a as number) - 0.7) ** 2 + ((p.b as number) - 0.3) ** 2));
const onPlateau = (h: readonly FrozenTrial[]): number => h.filter((t) => t.value === 0).length;

test("on a plateau of distinct points 'near' keeps sampling the plateau as 'keep' does, where 'above' leaves it (12 seeds × 40 trials)", () => {
  const count = (tiedValues: 'keep' | 'above' | 'near'): number => {
    let n = 0;
    for (let seed = 0; seed < 12; seed++) n += onPlateau(optimize(new TPESampler({ seed, space, nStartupTrials: 6, tiedValues }), space, plateau, 40));
    return n;
  };
  const keep = count('keep');
  const above = count('above');
  const near = count('near');
  // When written: keep 143, above 54, near 142 of 480 trials on the plateau.
  assert.ok(above < keep * 0.9, `trials on the plateau: keep ${keep}, above ${above}`);
  assert.ok(near > above * 1.1 && near > keep * 0.9, `trials on the plateau: keep ${keep}, above ${above}, near ${near}`);
});

test('a bad tiedDistance is a ConfigError naming the option', () => {
  for (const bad of [-0.01, Number.NaN, Infinity]) {
    assert.throws(() => new TPESampler({ tiedValues: 'near', tiedDistance: bad }), (e: unknown) => e instanceof ConfigError && /TPESampler\.tiedDistance: expected a finite number ≥ 0/.test(e.message));
  }
});

test("the 'near' flags kept across suggestions agree with a fresh split, also when an earlier trial completes late", () => {
  // Trial 1 is RUNNING while trials 2 and 3 finish at its point and value; then it completes: 2 and 3 must now be
  // repeats of 1's point (2 was not before, its only earlier tie being far away).
  const at = (number: number, a: number, value: number | null, state: 'COMPLETE' | 'RUNNING' = 'COMPLETE'): FrozenTrial =>
    frozenTrial({ number, state, value: state === 'RUNNING' ? undefined : (value as number), params: { x: a }, distributions: { x } });
  const before = [at(0, 9, 1), at(1, 5, null, 'RUNNING'), at(2, 5.01, 1), at(3, 5.02, 1)];
  const after = [at(0, 9, 1), at(1, 5, 1), at(2, 5.01, 1), at(3, 5.02, 1)];
  const fresh = (h: FrozenTrial[]) => splitTrials(h, { direction: 'minimize', constantLiar: false, exclude: 4, nBelow: () => 1 }, 'near', 0.01);
  const repeats = (s: ReturnType<typeof fresh>): number[] => [...s.numbers].filter((_, i) => s.repeat?.[i] === 1);
  assert.deepEqual(repeats(fresh(before)), [3], 'before: 3 is at 2 (0.001 of the axis); 2 is far from 0');
  assert.deepEqual(repeats(fresh(after)), [2, 3]);
  // The memoised split a sampler uses must follow: the same repeats as a fresh split on each history, in turn.
  const memo = new RepeatMemo();
  const memoised = (h: FrozenTrial[]) => {
    const obs = new ObservationColumns().observe(h, { direction: 'minimize', constantLiar: false, exclude: 4 });
    const trialOf = observedTrials(h, obs.numbers);
    return splitObservations(obs, () => 1, 'near', nearObservations(trialOf, 0.01), memo.forSplit(h, obs.numbers, trialOf));
  };
  assert.deepEqual(repeats(memoised(before)), [3]);
  assert.deepEqual(repeats(memoised(after)), [2, 3], 'a flag computed before trial 1 completed is not reused');
  assert.deepEqual(repeats(memoised(after)), [2, 3]);
});
