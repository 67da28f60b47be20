import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { GridSampler, RandomSampler, TPESampler } from '../../src/samplers/index.js';
import { float } from '../../src/space/distributions.js';
import { optimize } from './fixtures.js';

const isConfigError = (field: string) => (e: unknown) => e instanceof ConfigError && e.message.includes(field);

test('bad sampler options fail with a ConfigError naming the option', () => {
  assert.throws(() => new RandomSampler({ seed: -1 }), isConfigError('RandomSampler.seed'));
  assert.throws(() => new TPESampler({ seed: 1.5 }), isConfigError('TPESampler.seed'));
  assert.throws(() => new TPESampler({ nEiCandidates: 0 }), isConfigError('TPESampler.nEiCandidates'));
  assert.throws(() => new TPESampler({ nStartupTrials: -2 }), isConfigError('TPESampler.nStartupTrials'));
  assert.throws(() => new TPESampler({ priorWeight: 0 }), isConfigError('TPESampler.priorWeight'));
  assert.throws(() => new GridSampler({ searchSpace: { x: [] } }), isConfigError('GridSampler.searchSpace.x'));
  assert.throws(() => new GridSampler({ searchSpace: { x: [Number.NaN] } }), isConfigError('GridSampler.searchSpace.x'));
});

test('a gamma or weights function returning nonsense is reported when TPE first uses it', () => {
  const space = { x: float(0, 1) };
  const f = (p: Record<string, unknown>) => p.x as number;
  assert.throws(() => optimize(new TPESampler({ seed: 1, nStartupTrials: 2, gamma: () => 0.5 }), space, f, 4), isConfigError('TPESampler.gamma'));
  assert.throws(() => optimize(new TPESampler({ seed: 1, nStartupTrials: 2, weights: (n) => new Array(n).fill(-1) }), space, f, 4), isConfigError('TPESampler.weights'));
});

test('a grid value outside the asked distribution, or a parameter missing from the grid, is a ConfigError', () => {
  assert.throws(() => optimize(new GridSampler({ searchSpace: { x: [5] }, seed: 0 }), { x: float(0, 1) }, () => 0, 1), isConfigError('GridSampler.searchSpace.x'));
  assert.throws(() => optimize(new GridSampler({ searchSpace: { x: [0.5] }, seed: 0 }), { y: float(0, 1) }, () => 0, 1), isConfigError("'y'"));
});
