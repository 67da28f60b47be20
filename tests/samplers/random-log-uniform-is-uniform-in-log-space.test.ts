import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSampler } from '../../src/samplers/index.js';
import { float, int } from '../../src/space/distributions.js';
import { frozenTrial } from './fixtures.js';

const ctx = { direction: 'minimize' as const, trials: [] };

/** Kolmogorov–Smirnov statistic of `xs` against the uniform distribution on [0, 1]. */
function ksUniform(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => (d = Math.max(d, (i + 1) / s.length - x, x - i / s.length)));
  return d;
}

test('log-scale floats are uniform in log space (KS test, fixed seed)', () => {
  const sampler = new RandomSampler({ seed: 11 });
  const d = float(1e-5, 1e-1, { log: true });
  const n = 4000;
  const u: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sampler.sampleIndependent(ctx, frozenTrial({ number: i, state: 'RUNNING' }), 'lr', d) as number;
    u.push((Math.log(v) - Math.log(1e-5)) / (Math.log(1e-1) - Math.log(1e-5)));
  }
  // Critical value at α = 0.001 is 1.95/√n; a linear-space sampler would give D ≈ 0.75.
  assert.ok(ksUniform(u) < 1.95 / Math.sqrt(n), `D = ${ksUniform(u)}`);
});

test('integers are uniform over their values, end points included (chi-square, fixed seed)', () => {
  const sampler = new RandomSampler({ seed: 5 });
  const d = int(3, 8);
  const counts = new Map<number, number>();
  const n = 6000;
  for (let i = 0; i < n; i++) {
    const v = sampler.sampleIndependent(ctx, frozenTrial({ number: i, state: 'RUNNING' }), 'layers', d) as number;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [3, 4, 5, 6, 7, 8]);
  const expected = n / 6;
  let chi2 = 0;
  for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
  // χ²(5) at α = 0.001 is 20.5.
  assert.ok(chi2 < 20.5, `chi2 = ${chi2}`);
});
