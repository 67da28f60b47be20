import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBest } from '../../src/samplers/tpe/split-trials.js';
import { Rng } from '../../src/util/rng.js';

/** The k least of `keys` (ties broken by index, as splitTrials breaks them) by a full sort: the reference. */
function sortedBest(keys: Float64Array, k: number): number[] {
  const idx = [...keys.keys()];
  idx.sort((a, b) => keys[a] - keys[b] || a - b);
  return idx.slice(0, k).sort((a, b) => a - b);
}

test('selecting the k best gives the set a full sort gives, for every k, with many ties and with none', () => {
  const rng = new Rng(7, 0, 0);
  for (const [n, distinct] of [[1, 1], [2, 2], [7, 2], [50, 3], [333, 1000], [1000, 5]] as const) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = rng.int(distinct);
    const less = (a: number, b: number): boolean => keys[a] < keys[b] || (keys[a] === keys[b] && a < b);
    for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 37))) {
      const order = new Uint32Array(n).map((_, i) => i);
      selectBest(order, k, less);
      assert.deepEqual([...order.subarray(0, k)].sort((a, b) => a - b), sortedBest(keys, k), `n=${n} k=${k}`);
      assert.deepEqual([...order].sort((a, b) => a - b), [...keys.keys()], 'a permutation: nothing lost or repeated');
    }
  }
});
