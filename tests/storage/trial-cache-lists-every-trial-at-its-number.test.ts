import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrozenTrial, TrialState } from '../../src/core/frozen.js';
import { StudyTrialCache } from '../../src/storage/trial-cache.js';

// StudyTrialCache.update builds the study's list from its finished trials and the unfinished ones just read; the
// usual case (the unfinished are the newest) takes one allocation, any other the general path. Both must give
// every trial at its number, and never change a list handed out before.

const trial = (number: number, state: TrialState): FrozenTrial => ({ trialId: 100 + number, number, state }) as unknown as FrozenTrial;
const numbers = (ts: readonly FrozenTrial[]): string[] => ts.map((t) => `${t.number}${t.state[0]}`);

test('the list holds every trial at its number: unfinished ones among the finished, after them in any order read, and past a gap', () => {
  const cache = new StudyTrialCache();
  const first = cache.update([trial(0, 'COMPLETE'), trial(1, 'FAIL'), trial(2, 'RUNNING'), trial(3, 'COMPLETE')]);
  assert.deepEqual(numbers(first), ['0C', '1F', '2R', '3C']);
  cache.advanceTo(103);

  // The newest first in the read: the list is still by number.
  const second = cache.update([trial(5, 'RUNNING'), trial(4, 'WAITING'), trial(2, 'RUNNING')]);
  assert.deepEqual(numbers(second), ['0C', '1F', '2R', '3C', '4W', '5R']);
  assert.deepEqual(numbers(first), ['0C', '1F', '2R', '3C'], 'a list handed out before is never changed');

  // Trial 6 not visible yet (a gap), 7 read: no hole in the list.
  cache.remember(trial(2, 'COMPLETE'));
  const third = cache.update([trial(7, 'RUNNING'), trial(4, 'WAITING'), trial(5, 'COMPLETE')]);
  assert.deepEqual(numbers(third), ['0C', '1F', '2C', '3C', '4W', '5C', '7R']);
  assert.deepEqual(numbers(second), ['0C', '1F', '2R', '3C', '4W', '5R']);
});

test('the list is the same object while nothing changed, and a new one once anything did', () => {
  const cache = new StudyTrialCache();
  const a = cache.update([trial(0, 'COMPLETE'), trial(1, 'COMPLETE')]);
  assert.equal(cache.update([]), a, 'nothing new, nothing unfinished: the same list');
  const b = cache.update([trial(2, 'RUNNING')]);
  assert.notEqual(b, a);
  assert.deepEqual(numbers(b), ['0C', '1C', '2R']);
  const c = cache.update([trial(2, 'RUNNING')]);
  assert.notEqual(c, b, 'an unfinished trial read again: a new list');
  assert.deepEqual(numbers(c), ['0C', '1C', '2R']);
  cache.remember(trial(2, 'PRUNED'));
  const d = cache.update([]);
  assert.deepEqual(numbers(d), ['0C', '1C', '2P']);
  assert.deepEqual(numbers(c), ['0C', '1C', '2R'], 'the list of the previous read keeps the trial as it was read');
});
