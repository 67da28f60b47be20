import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPSampler, TPESampler } from '../../src/samplers/index.js';
import { encodeValue } from '../../src/samplers/gp/encode.js';
import { excludedWithin, exclusionRadii, halfMedianSpacing, unitDistance } from '../../src/samplers/gp/repeats.js';
import { ConfigError } from '../../src/errors.js';
import { type ParamValue, type SearchSpace, categorical, float, int } from '../../src/space/distributions.js';
import { ask, frozenTrial, optimize } from './fixtures.js';

// A finite space of 3 × 3 × 2 = 18 configurations with one clear optimum: a model keeps proposing near it.
const finite: SearchSpace = { x: int(0, 2), y: int(0, 2), c: categorical(['a', 'b']) };
const bowl = (p: Record<string, ParamValue>): number => ((p.x as number) - 1) ** 2 + ((p.y as number) - 1) ** 2 + (p.c === 'a' ? 0 : 0.5);
const key = (p: Record<string, ParamValue>): string => JSON.stringify([p.x, p.y, p.c]);

/** Modelled trials (from `from` on) that repeat an earlier configuration while some configuration was still unseen. */
function avoidableRepeats(params: readonly Record<string, ParamValue>[], from: number, size: number): number {
  const seen = new Set<string>();
  let n = 0;
  params.forEach((p, i) => {
    if (i >= from && seen.has(key(p)) && seen.size < size) n++;
    seen.add(key(p));
  });
  return n;
}

test("the GP with avoidRepeats 'exact' proposes no evaluated configuration until all 18 are seen, and without it it does", () => {
  let without = 0;
  for (let seed = 0; seed < 5; seed++) {
    const run = (avoidRepeats: 'none' | 'exact') =>
      optimize(new GPSampler({ seed, space: finite, nStartupTrials: 4, avoidRepeats }), finite, bowl, 18).map((t) => t.params);
    assert.equal(avoidableRepeats(run('exact'), 4, 18), 0, `seed ${seed}`);
    without += avoidableRepeats(run('none'), 4, 18);
  }
  assert.ok(without > 0, 'the default GP repeated no configuration: the check above proves nothing');
});

test('once a finite space is exhausted the GP still suggests (it falls back to repeats)', () => {
  const h = optimize(new GPSampler({ seed: 3, space: finite, nStartupTrials: 4, avoidRepeats: 'exact' }), finite, bowl, 22);
  assert.equal(h.length, 22);
  assert.equal(new Set(h.map((t) => key(t.params))).size, 18);
});

test('TPE with avoidRepeats repeats fewer configurations of a finite space than without, seeded', () => {
  const count = (avoidRepeats: boolean): number => {
    let n = 0;
    for (let seed = 0; seed < 8; seed++) {
      const params = optimize(new TPESampler({ seed, space: finite, nStartupTrials: 4, avoidRepeats }), finite, bowl, 14).map((t) => t.params);
      n += avoidableRepeats(params, 4, 18);
    }
    return n;
  };
  const [on, off] = [count(true), count(false)];
  assert.ok(off > 0 && on < off / 2, `repeats with avoidRepeats ${on}, without ${off}`);
  const run = () => optimize(new TPESampler({ seed: 5, space: finite, nStartupTrials: 4, avoidRepeats: true }), finite, bowl, 14).map((t) => t.params);
  assert.deepEqual(run(), run());
});

test('a trial with parameters beyond the joint space is no repeat: TPE keeps the good choice of a conditional space', () => {
  // Trials with k = 'a' (few, good) also have a float u, trials with k = 'b' (bad) do not, 'c' was never tried; the joint
  // space is {k}. {k: 'a', u: …} is not the configuration {k: 'a'}, so avoidRepeats must not push the draw to 'c'.
  const space: SearchSpace = { k: categorical(['a', 'b', 'c']) };
  const u = float(0, 1);
  const history = Array.from({ length: 16 }, (_, i) =>
    i % 5 === 0
      ? frozenTrial({ number: i, value: 0.1 * i, params: { k: 'a', u: i / 16 }, distributions: { k: space.k, u } })
      : frozenTrial({ number: i, value: 10 + i, params: { k: 'b' }, distributions: { k: space.k } }));
  const pick = (avoidRepeats: boolean) => {
    const s = new TPESampler({ seed: 1, nStartupTrials: 4, avoidRepeats });
    return Array.from({ length: 8 }, (_, j) => ask(s, history.slice(0, 8 + j), space).k);
  };
  const picks = pick(true);
  assert.deepEqual(picks, pick(false));
  assert.ok(picks.filter((k) => k === 'a').length >= 6, `picks ${picks.join(' ')}`);
});

test("the GP with avoidRepeats 'spacing' keeps its modelled suggestions half the evaluated points' median spacing away", () => {
  const space: SearchSpace = { a: float(0, 1), b: float(0, 1), c: float(-1, 1) };
  const f = (p: Record<string, ParamValue>): number => ((p.a as number) - 0.31) ** 2 + ((p.b as number) - 0.72) ** 2 + (p.c as number) ** 2;
  const names = Object.keys(space).sort();
  const isCat = new Uint8Array(names.length);
  const unit = (p: Record<string, ParamValue>): number[] => names.map((n) => encodeValue(space[n], p[n]));
  let closeWithout = 0;
  for (let seed = 0; seed < 4; seed++) {
    const check = (avoidRepeats: 'none' | 'spacing'): number => {
      const pts = optimize(new GPSampler({ seed, space, nStartupTrials: 4, avoidRepeats }), space, f, 14).map((t) => unit(t.params));
      let close = 0;
      for (let i = 4; i < pts.length; i++) {
        const data = { n: i, x: Float64Array.from(pts.slice(0, i).flat()), y: new Float64Array(i), isCat };
        const r = halfMedianSpacing(data);
        const nearest = Math.min(...pts.slice(0, i).map((q) => unitDistance(Float64Array.from(pts[i]), 0, Float64Array.from(q), 0, isCat)));
        if (nearest < r) close++;
      }
      return close;
    };
    assert.equal(check('spacing'), 0, `seed ${seed}`);
    closeWithout += check('none');
  }
  assert.ok(closeWithout > 0, 'the default GP never came within the spacing radius: the check above proves nothing');
});

test('the exclusion radii: none, exact only, or half the median nearest-neighbour spacing halved down to exact', () => {
  // Three points on a line at 0, 0.2 and 1: nearest-neighbour distances 0.2, 0.2, 0.8 → median 0.2 → radius 0.1.
  const data = { n: 3, x: Float64Array.from([0, 0.2, 1]), y: new Float64Array(3), isCat: new Uint8Array(1) };
  assert.equal(halfMedianSpacing(data), 0.1);
  assert.deepEqual(exclusionRadii('none', data), []);
  assert.deepEqual(exclusionRadii('exact', data), [0]);
  assert.deepEqual(exclusionRadii('spacing', data), [0.1, 0.05, 0.025, 0.0125, 0.00625, 0]);
  const whole = Uint8Array.from([1, 0, 1]);
  assert.equal(excludedWithin(data, 0, whole)(Float64Array.from([0])), true);
  assert.equal(excludedWithin(data, 0, whole)(Float64Array.from([0.2])), false, 'a point whose trial has more parameters is no repeat');
  assert.equal(excludedWithin(data, 0.1, whole)(Float64Array.from([0.25])), true);
  assert.equal(excludedWithin(data, 0.1, whole)(Float64Array.from([0.5])), false);
  // A categorical that differs counts 1.
  const cat = { n: 2, x: Float64Array.from([0.5, 0, 0.5, 1]), y: new Float64Array(2), isCat: Uint8Array.from([0, 1]) };
  assert.equal(unitDistance(cat.x, 0, cat.x, 2, cat.isCat), 1);
});

test('avoidRepeats is checked: an unknown GP mode or a non-boolean TPE flag is a ConfigError naming the option', () => {
  assert.throws(() => new GPSampler({ seed: 1, avoidRepeats: 'always' as 'exact' }), (e: unknown) => e instanceof ConfigError && /GPSampler\.avoidRepeats/.test(e.message));
  assert.throws(() => new TPESampler({ seed: 1, avoidRepeats: 'yes' as unknown as boolean }), (e: unknown) => e instanceof ConfigError && /TPESampler\.avoidRepeats/.test(e.message));
});
