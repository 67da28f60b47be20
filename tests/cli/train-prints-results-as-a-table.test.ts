import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResults } from '../../src/cli/format.js';

test('a run’s results print as aligned key/value lines, with arrays and objects summarised by size', () => {
  const text = formatResults({ test_loss: 1.7038342133164406, beats_unigram: true, tokenizer: 'char', vocab: { kind: 'char', chars: ['a', 'b'] }, weights: [1, 2, 3] });
  assert.deepEqual(text.split('\n'), [
    '  test_loss      1.70383',
    '  beats_unigram  true',
    '  tokenizer      char',
    '  vocab          {2 fields}',
    '  weights        [3 items]',
  ]);
});
