import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tune } from './cli.js';
import { NATURAL_PARAMS, PIPED, wideStudy } from './wide-study.js';

const { storage, trials } = wideStudy();
const failed = trials.filter((t) => t.state === 'FAIL');

function table(width: number | undefined): { lines: string[]; header: string[]; stderr: string } {
  const r = tune(['trials', '--study', 'w', '--storage', storage], { env: { COLUMNS: width === undefined ? undefined : String(width) } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  return { lines, header: lines[0].split(/ {2,}/), stderr: r.stderr };
}

test('piped, each parameter is a column of its own in natural order and no row is cut', () => {
  const r = tune(['trials', '--study', 'w', '--storage', storage], { env: PIPED });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines[0].split(/ {2,}/), ['#', 'state', 'value', 'run s', 'total s', ...NATURAL_PARAMS, 'error']);
  assert.equal(lines.length, 2 + trials.length);
  for (const t of failed) {
    const row = lines.find((l) => l.startsWith(`${t.number} `)) ?? '';
    assert.ok(row.endsWith(t.error!.message.split('\n')[0]), `the whole first line of the error: ${row}`);
  }
  assert.doesNotMatch(r.stderr, /left out/);
});

test('at 100 columns the table is 100 wide: parameters that do not fit are left out and named on stderr, errors cut to the rest', () => {
  const { lines, header, stderr } = table(100);
  for (const l of lines) assert.ok(l.length <= 100, `${l.length}: ${l}`);
  assert.deepEqual(header.slice(0, 6), ['#', 'state', 'value', 'run s', 'total s', 'p0']);
  assert.equal(header.at(-1), 'error');
  const shownParams = header.filter((h) => /^p\d+$/.test(h));
  assert.deepEqual(shownParams, NATURAL_PARAMS.slice(0, shownParams.length));
  assert.ok(shownParams.length < 12);
  assert.match(stderr, new RegExp(`\\(${12 - shownParams.length} of 18 columns left out to fit 100 characters: p${shownParams.length}, .*p11; choose with --columns.*--format csv\\)`));
  const rule = lines[1];
  for (const t of failed) {
    const row = lines.find((l) => l.startsWith(`${t.number} `)) ?? '';
    assert.ok(row.endsWith('…'), row);
    assert.equal(row.length, rule.length, 'the error fills the width that is left');
  }
});

test('on a wide screen an error is shown far past the old 60-character cut, still within the width', () => {
  const { lines, header, stderr } = table(250);
  assert.deepEqual(header, ['#', 'state', 'value', 'run s', 'total s', ...NATURAL_PARAMS, 'error']);
  assert.doesNotMatch(stderr, /left out/);
  const errorAt = lines[0].indexOf('error');
  for (const t of failed) {
    const row = lines.find((l) => l.startsWith(`${t.number} `)) ?? '';
    assert.ok(row.length <= 250);
    const shown = row.slice(errorAt);
    assert.ok(shown.length > 60, shown);
    assert.ok(t.error!.message.startsWith(shown.replace(/…$/, '')), shown);
  }
});

test('best prints the same columns under its heading', () => {
  const r = tune(['best', '--study', 'w', '--top', '2', '--storage', storage], { env: PIPED });
  assert.equal(r.status, 0, r.stderr);
  const [heading, header] = r.stdout.split('\n');
  assert.equal(heading, "study 'w' (minimize), best 2:");
  assert.deepEqual(header.split(/ {2,}/), ['#', 'state', 'value', 'run s', 'total s', ...NATURAL_PARAMS, 'error']);
});
