import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tune } from './cli.js';
import { csvObjects } from './csv-parse.js';
import { PIPED, wideStudy, type TrialJson } from './wide-study.js';

const { storage, trials } = wideStudy();

test('--columns picks columns and keeps the order given, parameters by name', () => {
  const r = tune(['trials', '--study', 'w', '--columns', 'number,value,params.p10,params.p2', '--storage', storage], { env: PIPED });
  assert.equal(r.status, 0, r.stderr);
  const [header, , first] = r.stdout.split('\n');
  assert.deepEqual(header.split(/ {2,}/), ['#', 'value', 'p10', 'p2']);
  assert.equal(first.split(/ {2,}/)[0], String(trials[0].number));
});

test('best takes --columns too, in CSV as in tables', () => {
  const top = JSON.parse(tune(['best', '--study', 'w', '--top', '2', '--json', '--storage', storage]).stdout) as TrialJson[];
  const r = tune(['best', '--study', 'w', '--top', '2', '--columns', 'number,params.p1', '--format', 'csv', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(csvObjects(r.stdout), top.map((t) => ({ number: String(t.number), 'params.p1': String(t.params['p1']) })));
});

test('an unknown column, or a parameter the study lacks, is a usage error naming the choices', () => {
  const unknown = tune(['trials', '--study', 'w', '--columns', 'number,lr', '--storage', storage]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--columns: unknown column 'lr'; choose from number, state, value, run_s, total_s, .*params\.<name>/);
  // A name that is a property of every JS object is not a column either.
  assert.equal(tune(['trials', '--study', 'w', '--columns', 'constructor', '--storage', storage]).status, 2);
  const param = tune(['best', '--study', 'w', '--columns', 'params.lr', '--storage', storage]);
  assert.equal(param.status, 2);
  assert.match(param.stderr, /--columns: no listed trial has a parameter 'lr'; they have p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11\n/);
  assert.equal(param.stdout, '');
});

test('--columns with --json, or --json with another --format, is refused rather than one of them ignored', () => {
  const cols = tune(['trials', '--study', 'w', '--columns', 'number', '--json', '--storage', storage]);
  assert.equal(cols.status, 2);
  assert.match(cols.stderr, /--columns shapes the table and --format csv; --json prints whole trials/);
  const both = tune(['studies', '--json', '--format', 'csv', '--storage', storage]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--json means --format json; it cannot go with --format csv/);
});
