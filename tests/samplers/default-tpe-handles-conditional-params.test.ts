import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import type { ParamValue } from '../../src/space/distributions.js';
import { categorical, float, isContained } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { ask, frozenTrial } from './fixtures.js';

const kind = categorical(['svm', 'tree']);
const shared = { kind, lr: float(1e-4, 1, { log: true }) };
const conditional = { svm: { c: float(0.01, 100, { log: true }) }, tree: { depth: float(1, 10) } };

/** Objective: best at kind = tree, depth ≈ 7, lr ≈ 0.01. */
function value(p: Record<string, ParamValue>): number {
  const lr = Math.abs(Math.log10(p.lr as number) + 2);
  return p.kind === 'tree' ? lr + Math.abs((p.depth as number) - 7) : 1 + lr + Math.abs(Math.log10(p.c as number));
}

test('the default TPE samples shared parameters jointly and conditional ones per parameter, inside their ranges', () => {
  const sampler = new TPESampler({ seed: 5 });
  const history: FrozenTrial[] = [];
  for (let i = 0; i < 60; i++) {
    const first = ask(sampler, history, shared);
    const branch = conditional[first.kind as 'svm' | 'tree'];
    const params = { ...first, ...ask(sampler, history, { ...shared, ...branch }) };
    // The second ask re-draws the shared params for the same trial number: they must not change.
    assert.equal(params.kind, first.kind);
    assert.equal(params.lr, first.lr);
    const distributions = { ...shared, ...branch };
    for (const [name, d] of Object.entries(distributions)) assert.ok(isContained(d, params[name]), `${name} = ${String(params[name])}`);
    history.push(frozenTrial({ number: i, value: value(params), params, distributions }));
  }
  assert.deepEqual(Object.keys(sampler.inferRelativeSearchSpace({ direction: 'minimize', trials: history })), ['kind', 'lr']);
  const late = history.slice(30).filter((t) => t.params.kind === 'tree').length;
  assert.ok(late >= 20, `only ${late} of trials 30–59 chose the better branch`);
});
