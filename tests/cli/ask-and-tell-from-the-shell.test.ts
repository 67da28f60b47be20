import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
}

const SPACE = JSON.stringify({ x: { kind: 'float', low: -3, high: 3 }, act: { kind: 'categorical', choices: ['relu', 'gelu'] } });
const OPTUNA_SPACE = JSON.stringify({ x: { name: 'FloatDistribution', attributes: { low: -3, high: 3, log: false, step: null } }, act: { name: 'CategoricalDistribution', attributes: { choices: ['relu', 'gelu'] } } });

function ask(storage: string, extra: string[] = []): { number: number; params: { x: number; act: string } } {
  const r = tune(['ask', '--study', 'shell', '--storage', storage, ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { number: number; params: { x: number; act: string } };
}

test('ask prints the new trial as JSON and tell finishes it; a loop of them is a study the query commands read', () => {
  const storage = tempStore();
  assert.equal(tune(['create-study', '--study', 'shell', '--storage', storage]).status, 0);
  const first = ask(storage, ['--space', SPACE, '--seed', '4']);
  assert.equal(first.number, 0);
  assert.ok(first.params.x >= -3 && first.params.x <= 3 && ['relu', 'gelu'].includes(first.params.act), JSON.stringify(first));
  const running = JSON.parse(tune(['trials', '--study', 'shell', '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.deepEqual(running.map((t) => [t.number, t.state, t.params]), [[0, 'RUNNING', first.params]]);
  const told = tune(['tell', '--study', 'shell', '--trial', '0', '--value', String((first.params.x - 1) ** 2), '--storage', storage]);
  assert.equal(told.status, 0, told.stderr);
  assert.match(told.stdout, /trial 0 of study 'shell': COMPLETE, value/);
  // Later asks take the space from the study's trials (or Optuna's JSON form), and PRUNED / FAIL / inf are told too.
  const second = ask(storage);
  const third = ask(storage, ['--space', OPTUNA_SPACE]);
  const fourth = ask(storage);
  assert.deepEqual([second.number, third.number, fourth.number], [1, 2, 3]);
  assert.deepEqual(Object.keys(second.params).sort(), ['act', 'x']);
  assert.equal(tune(['tell', '--study', 'shell', '--trial', '1', '--state', 'PRUNED', '--storage', storage]).status, 0);
  assert.equal(tune(['tell', '--study', 'shell', '--trial', '2', '--state', 'FAIL', '--storage', storage]).status, 0);
  assert.equal(tune(['tell', '--study', 'shell', '--trial', '3', '--value=-inf', '--storage', storage]).status, 0);
  const trials = JSON.parse(tune(['trials', '--study', 'shell', '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'PRUNED'], [2, 'FAIL'], [3, 'COMPLETE']]);
  assert.equal(trials[0].value, (first.params.x - 1) ** 2);
  assert.equal(trials[3].value, '-Infinity');
  const best = JSON.parse(tune(['best', '--study', 'shell', '--json', '--storage', storage]).stdout) as TrialJson;
  assert.equal(best.number, 3);
});

test('tell refuses a bad value, a missing outcome, an unknown trial and a finished trial with exit 2, and changes nothing', () => {
  const storage = tempStore();
  assert.equal(tune(['create-study', '--study', 'shell', '--storage', storage]).status, 0);
  ask(storage, ['--space', SPACE]);
  assert.equal(tune(['tell', '--study', 'shell', '--trial', '0', '--value', '0.5', '--storage', storage]).status, 0);
  ask(storage);
  const cases: [string[], RegExp][] = [
    [['--trial', '1', '--value', 'nan'], /--value must be a number .* got 'nan'; an evaluation that failed is told with --state FAIL/],
    [['--trial', '1', '--value', 'abc'], /--value must be a number/],
    [['--trial', '1'], /tell needs the outcome: --value <objective value> \(COMPLETE\), or --state PRUNED or --state FAIL/],
    [['--trial', '1', '--state', 'FAIL', '--value', '1'], /--state FAIL takes no --value/],
    [['--trial', '1', '--state', 'COMPLETE'], /--state COMPLETE needs --value/],
    [['--trial', '9', '--value', '1'], /study 'shell' has no trial 9 \(its trials are 0–1\)/],
    [['--trial', '0', '--value', '1'], /trial 0 of study 'shell' is already COMPLETE \(value 0\.5\).*--skip-if-finished/],
    [['--trial', '-1', '--value', '1'], /--trial must be a trial number/],
  ];
  for (const [args, message] of cases) {
    const r = tune(['tell', '--study', 'shell', '--storage', storage, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /    at /);
  }
  const skip = tune(['tell', '--study', 'shell', '--trial', '0', '--value', '1', '--skip-if-finished', '--storage', storage]);
  assert.equal(skip.status, 0, skip.stderr);
  assert.match(skip.stdout, /already COMPLETE .*left as it is/);
  const trials = JSON.parse(tune(['trials', '--study', 'shell', '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.deepEqual(trials.map((t) => [t.number, t.state, t.value]), [[0, 'COMPLETE', 0.5], [1, 'RUNNING', null]]);
});

test('ask refuses an unknown study, a bad --space and a study with no space, with exit 2 and no trial left behind', () => {
  const storage = tempStore();
  assert.equal(tune(['create-study', '--study', 'shell', '--storage', storage]).status, 0);
  const cases: [string[], RegExp][] = [
    [['--study', 'nope', '--space', SPACE], /study "nope" does not exist/],
    [['--study', 'shell'], /--space: study 'shell' has no trials to take the search space from; give it as JSON/],
    [['--study', 'shell', '--space', '{x'], /--space: not valid JSON/],
    [['--study', 'shell', '--space', '{"x": {"kind": "float", "low": 3, "high": 1}}'], /--space\.x: low 3 > high 1; swap them/],
    [['--study', 'shell', '--space', '{"x": {"kind": "normal"}}'], /--space\.x: "kind" must be "float", "int" or "categorical"/],
  ];
  for (const [args, message] of cases) {
    const r = tune(['ask', '--storage', storage, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /    at /);
  }
  assert.deepEqual(JSON.parse(tune(['trials', '--study', 'shell', '--json', '--storage', storage]).stdout), []);
});
