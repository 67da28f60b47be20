import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv } from '../../src/cli/csv.js';
import { parseCsv } from './csv-parse.js';

test('a field with a comma, a quote, a CR or an LF is quoted, with quotes doubled; others are left bare', () => {
  assert.equal(csvField('plain text'), 'plain text');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('line 1\nline 2'), '"line 1\nline 2"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField('"'), '""""');
  assert.equal(csvField(''), '');
});

test('null is an empty field, numbers keep full precision, infinities are inf and -inf', () => {
  assert.equal(csvField(null), '');
  assert.equal(csvField(0.1 + 0.2), '0.30000000000000004');
  assert.equal(csvField(1e-7), '1e-7');
  assert.equal(csvField(Number.POSITIVE_INFINITY), 'inf');
  assert.equal(csvField(Number.NEGATIVE_INFINITY), '-inf');
  assert.equal(csvField(false), 'false');
});

test('a document is a header record and CRLF-ended records that a strict reader gets back field for field', () => {
  const rows = [
    [1, 'a "quoted", comma', null],
    [2, 'two\r\nlines', -0.5],
  ];
  const text = toCsv(['n', 'text', 'x'], rows);
  assert.ok(text.endsWith('\r\n'));
  assert.deepEqual(parseCsv(text), [
    ['n', 'text', 'x'],
    ['1', 'a "quoted", comma', ''],
    ['2', 'two\r\nlines', '-0.5'],
  ]);
});
