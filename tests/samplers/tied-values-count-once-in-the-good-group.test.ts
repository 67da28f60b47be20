import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import { improvementWeights } from '../../src/samplers/tpe/sampler.js';
import { groupObservations, splitTrials } from '../../src/samplers/tpe/split-trials.js';
import type { TiedValues } from '../../src/samplers/tpe/options.js';
import { ConfigError } from '../../src/errors.js';
import { type ParamValue, type SearchSpace, float } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { frozenTrial, optimize } from './fixtures.js';

// Values with a plateau: 1 four times (trials 1, 2, 3, 7), then a PRUNED trial that reported 1 and a RUNNING one.
const values = [3, 1, 1, 1, 2, 5, 4, 1];
const x = float(0, 10);
const history: FrozenTrial[] = [
  ...values.map((value, number) => frozenTrial({ number, value, params: { x: number }, distributions: { x } })),
  frozenTrial({ number: 8, state: 'PRUNED', params: { x: 8 }, distributions: { x }, intermediate: [[0, 1]] }),
  frozenTrial({ number: 9, state: 'RUNNING', params: { x: 9 }, distributions: { x } }),
];

function split(tiedValues: TiedValues, counted: number[] = []) {
  const s = splitTrials(history, { direction: 'minimize', constantLiar: true, exclude: 10, nBelow: (n) => (counted.push(n), 3) }, tiedValues);
  const group = (flag: ArrayLike<number> | undefined): number[] => [...s.numbers].filter((_, i) => flag?.[i] === 1);
  return { s, below: group(s.isBelow), repeat: group(s.repeat), neither: group(s.inNeither) };
}

test("'keep' lets a plateau of equal values fill the good group, as Optuna does", () => {
  const { below, repeat } = split('keep');
  assert.deepEqual(below, [1, 2, 3]);
  assert.deepEqual(repeat, []);
});

test("'above' keeps only the earliest of equal values in the good group and puts its repeats in the bad group", () => {
  const counted: number[] = [];
  const { s, below, repeat, neither } = split('above', counted);
  assert.deepEqual(below, [0, 1, 4], 'the good group: 1 (trial 1), 2, 3 — three distinct values');
  assert.deepEqual(repeat, [2, 3, 7], 'PRUNED and RUNNING trials are never repeats');
  assert.deepEqual(neither, []);
  assert.deepEqual(counted, [9], 'n counts every finished trial');
  const g = groupObservations(s, ['x'], [x]);
  assert.deepEqual([...g.above[0]], [2, 3, 5, 6, 7, 8, 9], 'the repeats are bad observations');
  // The threshold y* is the best bad trial that is not a repeat (4, trial 6), so the weights are 4 − loss;
  // from the repeats (1) every good trial would get the floor 1e-12.
  const w = improvementWeights(s, g.belowLosses);
  assert.deepEqual(w === undefined ? undefined : Array.from(w.observations), [1, 3, 2]);
});

test("'drop' leaves the repeats out of both groups and out of the count", () => {
  const counted: number[] = [];
  const { s, below, neither } = split('drop', counted);
  assert.deepEqual(below, [0, 1, 4]);
  assert.deepEqual(neither, [2, 3, 7]);
  assert.deepEqual(counted, [6], 'n is the finished trials less the three repeats');
  const g = groupObservations(s, ['x'], [x]);
  assert.deepEqual([...g.below[0]].sort((a, b) => a - b), [0, 1, 4]);
  assert.deepEqual([...g.above[0]], [5, 6, 8, 9]);
});

// A hidden grid: two floats scored at the nearest of 6 × 6 cells of a bowl, so a model that narrows onto the best
// cell it has seen re-evaluates it (the lookup tables of the broad benchmark, in small).
const space: SearchSpace = { a: float(0, 1), b: float(0, 1) };
const cell = (v: ParamValue): number => Math.round((v as number) * 5);
const grid = (p: Record<string, ParamValue>): number => (cell(p.a) - 3) ** 2 + (cell(p.b) - 1) ** 2 + 0.1 * cell(p.a) * cell(p.b);
const distinctCells = (h: readonly FrozenTrial[]): number => new Set(h.map((t) => `${cell(t.params.a)},${cell(t.params.b)}`)).size;

test("on a hidden grid 'above' evaluates more distinct cells than 'keep', and 'drop' fewer (16 seeds, 30 trials), seeded", () => {
  const cells = (tiedValues: TiedValues): number => {
    let n = 0;
    for (let seed = 0; seed < 16; seed++) n += distinctCells(optimize(new TPESampler({ seed, space, nStartupTrials: 6, tiedValues }), space, grid, 30));
    return n;
  };
  const keep = cells('keep');
  const above = cells('above');
  const drop = cells('drop');
  // 'above': each re-evaluation of a cell adds a bad kernel there, so l/g falls on it (278 → 311 cells when written).
  assert.ok(above > keep * 1.08, `distinct cells: keep ${keep}, above ${above}`);
  // 'drop': the repeats leave g(x) too, and n shrinks with them, so the good group is smaller and nothing holds TPE
  // off the best cell: it re-evaluates more (278 → 177 when written). Pinned so that 'drop' cannot silently be 'keep'.
  assert.ok(drop < keep * 0.9, `distinct cells: keep ${keep}, drop ${drop}`);
  const run = () => optimize(new TPESampler({ seed: 3, space, nStartupTrials: 6, tiedValues: 'above' }), space, grid, 20).map((t) => t.params);
  assert.deepEqual(run(), run());
});

test("'keep' is the default and gives the same suggestions as before the option existed", () => {
  const a = optimize(new TPESampler({ seed: 4, space, nStartupTrials: 6 }), space, grid, 20).map((t) => t.params);
  const b = optimize(new TPESampler({ seed: 4, space, nStartupTrials: 6, tiedValues: 'keep' }), space, grid, 20).map((t) => t.params);
  assert.deepEqual(a, b);
});

test('a bad tiedValues is a ConfigError naming the option and the choices', () => {
  assert.throws(() => new TPESampler({ tiedValues: 'once' as TiedValues }), (e: unknown) => e instanceof ConfigError && /TPESampler\.tiedValues: expected one of 'keep', 'above', 'near', 'drop'/.test(e.message));
});
