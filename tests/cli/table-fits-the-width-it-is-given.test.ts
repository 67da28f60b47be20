import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCell, outputWidth, renderTable, type TableColumn } from '../../src/cli/table.js';

const col = (header: string, cells: string[], fit: TableColumn['fit'] = 'keep'): TableColumn => ({ header, cells, fit });
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => Array.from(l).length));

test('a table narrower than the width is left whole, two spaces between columns', () => {
  const { text, dropped } = renderTable([col('#', ['0', '10']), col('state', ['COMPLETE', 'FAIL'])], 80);
  assert.deepEqual(text.split('\n'), ['#   state', '--  --------', '0   COMPLETE', '10  FAIL']);
  assert.deepEqual(dropped, []);
});

test('droppable columns go last-first, and the shrinking column gets all the width that is left', () => {
  const params = Array.from({ length: 20 }, (_, i) => col(`p${i}`, ['0.123456'], 'drop'));
  const error = 'e'.repeat(300);
  const { text, dropped } = renderTable([col('#', ['7']), ...params, col('error', [error], 'shrink')], 100);
  assert.equal(widest(text), 100);
  // 1 + 7 × (8 + 2) + 2 leaves 27 for the error: seven parameters fit beside an error at least 24 wide.
  assert.deepEqual(dropped, params.slice(7).map((p) => p.header));
  const row = text.split('\n')[2];
  assert.ok(row.startsWith(`7  ${Array(7).fill('0.123456').join('  ')}  e`), row);
  assert.equal(row.match(/e+…$/)?.[0].length, 27);
});

test('without droppable columns the widest shrinking cells are cut first, each at least as wide as its header', () => {
  const { text } = renderTable([col('id', ['1']), col('short', ['abcdefgh'], 'shrink'), col('long', ['x'.repeat(200)], 'shrink')], 40);
  assert.equal(widest(text), 40);
  const row = text.split('\n')[2];
  assert.match(row, /^1   abcdefgh  x+…$/);
});

test('an infinite width never cuts, and line breaks in cells become spaces so a row stays one line', () => {
  const long = `first line ${'y'.repeat(500)}\nsecond`;
  const { text } = renderTable([col('error', [long], 'shrink')], Number.POSITIVE_INFINITY);
  assert.equal(text.split('\n').length, 3);
  assert.ok(text.includes(`${'y'.repeat(500)} second`));
});

test('cells are cut by characters, not UTF-16 units, ending in an ellipsis', () => {
  assert.equal(fitCell('abcdef', 4), 'abc…');
  assert.equal(fitCell('abc', 3), 'abc');
  assert.equal(fitCell('😀😀😀😀', 3), '😀😀…');
});

test('the width is $COLUMNS when set, else the terminal width, else unlimited (piped)', () => {
  assert.equal(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: '72' }), 72);
  assert.equal(outputWidth({ isTTY: true, columns: 120 }, {}), 120);
  assert.equal(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: 'wide' }), 120);
  assert.equal(outputWidth({ isTTY: false }, {}), Number.POSITIVE_INFINITY);
  assert.equal(outputWidth({ isTTY: false }, { COLUMNS: '0' }), Number.POSITIVE_INFINITY);
});
