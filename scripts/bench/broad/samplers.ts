/**
 * The parzen columns of the broad benchmark: each a seeded sampler built for a problem (sampler-broad.ts runs them,
 * broad-ties.ts traces them). Comments say which session declared each candidate (docs/benchmarks/samplers.md).
 */
import { GPSampler, RandomSampler, TPESampler } from '../../../src/samplers/index.js';
import { linearGamma } from '../../../src/samplers/tpe/options.js';
import type { Sampler } from '../../../src/samplers/sampler.js';
import type { Problem } from '../problems/problem.js';

export const PARZEN_SAMPLERS: Readonly<Record<string, (seed: number, p: Problem) => Sampler>> = {
  tpe: (seed, p) => new TPESampler({ seed, space: p.space }),
  // `gp` is the GP of sessions 21–22 (no output warping); the GPSampler default since session 23 is `gp-yj`.
  gp: (seed, p) => new GPSampler({ seed, space: p.space, outputWarping: 'none' }),
  random: (seed) => new RandomSampler({ seed }),
  'tpe-old': (seed) => new TPESampler({ seed, startup: 'random', nStartupTrials: 10 }),
  // Candidates for this session's selection (issue 15), run on the selection part only; docs/benchmarks/samplers.md.
  'tpe-h4': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 4 }),
  'tpe-h6': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6 }),
  'tpe-h10': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10 }),
  'tpe-u8': (seed) => new TPESampler({ seed, startup: 'random', nStartupTrials: 8 }),
  'tpe-age': (seed, p) => new TPESampler({ seed, space: p.space, goodWeighting: 'age' }),
  'tpe-g10': (seed, p) => new TPESampler({ seed, space: p.space, gamma: linearGamma(0.1) }),
  // Candidates of session 23 (selection part only until chosen): the GP's start-up fitted to a 12-trial budget.
  'gp-h4': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 4, outputWarping: 'none' }),
  'gp-h6': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 6, outputWarping: 'none' }),
  // … TPE settings at the 12-trial budget (6 start-up trials, as `auto` there): a larger good group, more EI
  // candidates, no prior, a prior of half the weight …
  'tpe-h6-g25': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, gamma: linearGamma(0.25) }),
  'tpe-h6-ei96': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, nEiCandidates: 96 }),
  'tpe-h6-noprior': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, considerPrior: false }),
  'tpe-h6-pw05': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, priorWeight: 0.5 }),
  // … and the GP with Yeo–Johnson output warping (gp/warp.ts): chosen, GPSampler's default since session 23.
  'gp-yj': (seed, p) => new GPSampler({ seed, space: p.space, outputWarping: 'power' }),
  // Session 26's candidates for budgets under 20 trials (selection part only until chosen; samplers.md, "Session 26"):
  // the (warped) GP with one length scale shared by every dimension, 6 or 4 start-up trials …
  'gp-iso-h6': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 6, lengthscales: 'isotropic' }),
  'gp-iso-h4': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 4, lengthscales: 'isotropic' }),
  // … and TPE at 6 start-up trials drawn as a maximin Latin hypercube instead of the first Halton points.
  'tpe-lhs6': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, startup: 'lhs' }),
  // Session 27's candidates for budgets under 20 trials (selection part only until chosen; samplers.md, "Session 27"):
  // `auto`'s two small-budget samplers, never re-proposing an evaluated configuration …
  'gp-iso-h4-exact': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 4, lengthscales: 'isotropic', avoidRepeats: 'exact' }),
  'tpe-h6-norep': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, avoidRepeats: true }),
  // … and the GP kept half the median spacing of the evaluated points away from all of them.
  'gp-iso-h4-spacing': (seed, p) => new GPSampler({ seed, space: p.space, nStartupTrials: 4, lengthscales: 'isotropic', avoidRepeats: 'spacing' }),
  // Session 29's candidates (selection part only until chosen; samplers.md, "Session 29, declaration"): `auto`'s TPE
  // (6 start-up trials at 12, 10 at 100) never re-proposing an evaluated configuration, or with exactly tied values
  // kept out of the good group ('above') or out of both groups ('drop').
  'tpe-h10-norep': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10, avoidRepeats: true }),
  'tpe-h6-tied-above': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, tiedValues: 'above' }),
  'tpe-h10-tied-above': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10, tiedValues: 'above' }),
  'tpe-h6-tied-drop': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, tiedValues: 'drop' }),
  'tpe-h10-tied-drop': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10, tiedValues: 'drop' }),
  // Session 29c's candidates (samplers.md, "Session 29c, declaration"): B′, a tied value a repeat only at the earlier
  // trial's point up to 0.01 or 0.03 of each axis ('near').
  'tpe-h6-tied-near01': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, tiedValues: 'near', tiedDistance: 0.01 }),
  'tpe-h10-tied-near01': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10, tiedValues: 'near', tiedDistance: 0.01 }),
  'tpe-h6-tied-near03': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 6, tiedValues: 'near', tiedDistance: 0.03 }),
  'tpe-h10-tied-near03': (seed, p) => new TPESampler({ seed, space: p.space, nStartupTrials: 10, tiedValues: 'near', tiedDistance: 0.03 }),
};
