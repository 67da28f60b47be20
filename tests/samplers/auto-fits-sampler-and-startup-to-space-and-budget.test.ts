import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPSampler, QMCSampler, TPESampler } from '../../src/samplers/index.js';
import { AUTO_TPE_TIES, autoChoice, autoStartupTrials, makeSampler } from '../../src/samplers/make.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { optimize } from './fixtures.js';

const six = { a: float(0, 1), b: float(-5, 5), c: float(1e-4, 1, { log: true }), d: int(1, 9), e: categorical(['x', 'y']), f: float(0, 2) };
const two = { x: float(-5, 10), y: float(0, 15) };
const four = { a: float(0, 1), b: float(0, 1), c: int(0, 3), d: categorical(['x', 'y']) };
const three = { a: float(0, 1), b: float(0, 1), c: float(0, 1) };
const wide = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x${i}`, float(0, 1)]));

test('--sampler auto takes the GP for 1–300 trials over 4–20 unconditional parameters and TPE everywhere else', () => {
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 20 }) instanceof GPSampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 300 }) instanceof GPSampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 19 }) instanceof GPSampler);
  assert.ok(makeSampler('auto', { seed: 1, space: three, nTrials: 12 }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 12, conditional: true }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 301 }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six, nTrials: 100, conditional: true }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: six }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: four, nTrials: 100 }) instanceof GPSampler);
  assert.ok(makeSampler('auto', { seed: 1, space: three, nTrials: 100 }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: two, nTrials: 100 }) instanceof TPESampler);
  assert.ok(makeSampler('auto', { seed: 1, space: wide, nTrials: 100 }) instanceof TPESampler);
});

test('under auto, TPE starts with half the budget of quasi-random trials, at most 10, and 8 when no budget is known', () => {
  assert.deepEqual([4, 12, 13, 20, 100, 1000].map((n) => autoStartupTrials(n)), [2, 6, 7, 10, 10, 10]);
  assert.equal(autoStartupTrials(undefined), 8);
  assert.deepEqual(autoChoice(two, 12), { sampler: 'tpe', nStartupTrials: 6 });
  // The first six suggestions of a 12-trial study are the seeded Halton points; the seventh is TPE's.
  const objective = (p: Record<string, unknown>): number => ((p.x as number) - 2) ** 2 + ((p.y as number) - 3) ** 2;
  const auto = optimize(makeSampler('auto', { seed: 5, space: two, nTrials: 12 }), two, objective, 8).map((t) => t.params);
  const halton = optimize(new QMCSampler({ space: two, seed: 5 }), two, objective, 8).map((t) => t.params);
  assert.deepEqual(auto.slice(0, 6), halton.slice(0, 6));
  assert.notDeepEqual(auto[6], halton[6]);
});

test('below 20 trials over 4–20 unconditional parameters, auto is the isotropic GP after 4 Halton trials (session 26)', () => {
  assert.deepEqual(autoChoice(four, 12), { sampler: 'gp', nStartupTrials: 4, lengthscales: 'isotropic' });
  assert.deepEqual(autoChoice(four, 20), { sampler: 'gp', nStartupTrials: 8 });
  const objective = (p: Record<string, unknown>): number => ((p.a as number) - 0.2) ** 2 + (p.b as number) + (p.c as number) + (p.d === 'x' ? 0 : 1);
  const auto = optimize(makeSampler('auto', { seed: 5, space: four, nTrials: 12 }), four, objective, 8).map((t) => t.params);
  const iso = optimize(new GPSampler({ seed: 5, space: four, nStartupTrials: 4, lengthscales: 'isotropic' }), four, objective, 8).map((t) => t.params);
  const ard = optimize(new GPSampler({ seed: 5, space: four, nStartupTrials: 4 }), four, objective, 8).map((t) => t.params);
  assert.deepEqual(auto, iso);
  assert.notDeepEqual(auto.slice(4), ard.slice(4));
});

test("under auto, TPE keeps a tie at the same point (0.03 of each axis) out of the good group: tiedValues 'near' (session 29c)", () => {
  assert.deepEqual(AUTO_TPE_TIES, { tiedValues: 'near', tiedDistance: 0.03 });
  // A hidden 6 × 6 grid (a lookup table in small): the same cell again is a tie at nearly the same point.
  const cell = (v: unknown): number => Math.round((v as number) * 5);
  const grid = (p: Record<string, unknown>): number => (cell(p.a) - 3) ** 2 + (cell(p.b) - 1) ** 2 + 0.1 * cell(p.a) * cell(p.b);
  const space = { a: float(0, 1), b: float(0, 1) };
  const run = (s: TPESampler) => optimize(s, space, grid, 40).map((t) => t.params);
  const auto = run(makeSampler('auto', { seed: 7, space, nTrials: 100 }) as TPESampler);
  const near = run(new TPESampler({ seed: 7, space, nStartupTrials: 10, tiedValues: 'near', tiedDistance: 0.03 }));
  const keep = run(new TPESampler({ seed: 7, space, nStartupTrials: 10 }));
  assert.deepEqual(auto, near);
  assert.notDeepEqual(auto, keep);
});
