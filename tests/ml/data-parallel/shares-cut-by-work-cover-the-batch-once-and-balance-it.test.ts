import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { assignByWork, shareByWork } from '../../../src/ml/data-parallel/shares.js';
import { Rng } from '../../../src/util/rng.js';

/** The smallest possible largest-share work over every assignment of `work` to `k` shares (brute force). */
function bestMakespan(work: readonly number[], k: number): number {
  let best = Number.POSITIVE_INFINITY;
  const load = new Array<number>(k).fill(0);
  const visit = (i: number): void => {
    if (i === work.length) {
      best = Math.min(best, Math.max(...load));
      return;
    }
    for (let r = 0; r < k; r++) {
      load[r] += work[i];
      visit(i + 1);
      load[r] -= work[i];
    }
  };
  visit(0);
  return best;
}

function randomWork(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => 50 + rng.int(2000));
}

test('every example goes to exactly one share, each share keeps the batch order, and no share is empty when n ≥ shares', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 200; trial++) {
    const k = 1 + rng.int(4);
    const n = k + rng.int(9);
    const items = Array.from({ length: n }, (_, i) => 100 + i);
    const work = randomWork(rng, n);
    const shares = Array.from({ length: k }, (_, rank) => shareByWork(items, work, { rank, nShares: k }));
    assert.deepEqual(shares.flat().sort((a, b) => a - b), items, `trial ${trial}: the union is the batch, once`);
    for (const s of shares) {
      assert.ok(s.length > 0, `trial ${trial}: an empty share of ${n} examples on ${k} shares`);
      assert.deepEqual(s, [...s].sort((a, b) => a - b), 'batch order kept');
    }
  }
});

test('a batch shorter than the shares leaves the extra shares empty, without losing an example', () => {
  const items = ['a', 'b'];
  const shares = [0, 1, 2].map((rank) => shareByWork(items, [10, 30], { rank, nShares: 3 }));
  assert.deepEqual(shares, [['b'], ['a'], []]);
});

test('the busiest share is the best possible for 4 circuits on 2 shares, and within Graham’s 4/3 bound otherwise', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 300; trial++) {
    const [n, k] = trial < 150 ? [4, 2] : [3 + rng.int(6), 2 + rng.int(2)];
    const work = randomWork(rng, n);
    const owner = assignByWork(work, k);
    const load = new Array<number>(k).fill(0);
    owner.forEach((r, i) => (load[r] += work[i]));
    const best = bestMakespan(work, k);
    if (n === 4 && k === 2) assert.equal(Math.max(...load), best, `trial ${trial}: ${work.join(',')}`);
    else assert.ok(Math.max(...load) <= (4 / 3) * best + 1e-9, `trial ${trial}: ${Math.max(...load)} vs best ${best}`);
  }
});

test('cutting by work beats cutting by count on circuits of unequal sizes', () => {
  // Two large circuits first: the contiguous cut gives them both to replica 0.
  const work = [900, 800, 100, 120];
  const owner = assignByWork(work, 2);
  const load = [0, 0];
  owner.forEach((r, i) => (load[r] += work[i]));
  assert.deepEqual(Array.from(owner), [0, 1, 0, 1]);
  assert.deepEqual(load, [1000, 920], 'by work; by count it would be 1700 against 220');
});

test('the cut depends only on the work values: the same on every call, ties broken by index then rank', () => {
  const work = [5, 5, 5, 5, 7];
  const first = Array.from(assignByWork(work, 2));
  for (let i = 0; i < 5; i++) assert.deepEqual(Array.from(assignByWork([...work], 2)), first);
  assert.deepEqual(first, [1, 1, 0, 1, 0]);
});

test('bad work values and ranks are refused with the field named', () => {
  assert.throws(() => assignByWork([1, 0], 2), (e: unknown) => e instanceof ConfigError && /work\[1\].*> 0/.test(e.message));
  assert.throws(() => assignByWork([1, Number.NaN], 2), /work\[1\]/);
  assert.throws(() => assignByWork([1], 0), /nShares/);
  assert.throws(() => shareByWork([1, 2], [1], { rank: 0, nShares: 2 }), /1 work values for 2 examples/);
  assert.throws(() => shareByWork([1, 2], [1, 1], { rank: 2, nShares: 2 }), /rank 2 is outside 0\.\.1/);
});
