// Issue 14, the client's share (s30-pg): what handing the sampler a fresh list of every trial costs per ask, by
// study size, in this process's CPU time (process.cpuUsage: user + system, GC threads included). (1) A plain
// Array.prototype.slice of n frozen objects: past ~16,000 elements (128 KiB of pointers) the copy is a V8 large
// object, several times dearer per element. (2) StudyTrialCache (src/storage/trial-cache.ts) as a single worker's
// asks use it: a study of n finished trials, then per ask `update` with the new RUNNING trial, `advanceTo`, and
// `remember` of the same trial finished. Give two trees' dist folders to compare them in one run (alternated).
// Usage: npx tsc -p tsconfig.json && node scripts/bench/trial-list-copy.mjs "distA [distB]" [sizes=1000,15000,17000,20000] [asks=2000]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';

const trees = (process.argv[2] ?? 'dist').split(' ').filter(Boolean).map((d) => path.resolve(d));
const sizes = (process.argv[3] ?? '1000,15000,17000,20000').split(',').map(Number);
const asks = Number(process.argv[4] ?? 2000);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(asks) || asks < 1) {
  console.error('usage: node scripts/bench/trial-list-copy.mjs "distA [distB]" [sizes=1000,15000,17000,20000] [asks=2000]');
  process.exit(2);
}
const caches = await Promise.all(trees.map(async (d) => (await import(pathToFileURL(path.join(d, 'src/storage/trial-cache.js')).href)).StudyTrialCache));
const cpuUs = (fn) => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};
const trial = (id, number, state) => Object.freeze({ trialId: id, number, state, studyId: 1 });

function sliceUs(n) {
  const a = Array.from({ length: n }, (_, k) => trial(k + 1, k, 'COMPLETE'));
  let keep;
  for (let i = 0; i < 200; i++) keep = a.slice();
  const us = cpuUs(() => { for (let i = 0; i < asks; i++) keep = a.slice(); });
  return keep.length === n ? us / asks : NaN;
}

function cacheUs(StudyTrialCache, n) {
  const cache = new StudyTrialCache();
  const first = Array.from({ length: n }, (_, k) => trial(k + 1, k, 'COMPLETE'));
  cache.update(first);
  cache.advanceTo(n);
  let id = n;
  const ask = () => {
    id++;
    const listed = cache.update([trial(id, id - 1, 'RUNNING')]);
    cache.advanceTo(id);
    cache.remember(trial(id, id - 1, 'COMPLETE'));
    return listed;
  };
  for (let i = 0; i < 200; i++) ask();
  let last;
  const us = cpuUs(() => { for (let i = 0; i < asks; i++) last = ask(); });
  return last.length === id ? us / asks : NaN;
}

console.log(`node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; CPU µs per ask, ${asks} asks per cell, 2 rounds alternated`);
console.log(`| trials | slice, µs (ns per element) | ${trees.map((d) => `StudyTrialCache ask, ${d}`).join(' | ')} |`);
console.log(`| --- | --- | ${trees.map(() => '---').join(' | ')} |`);
for (const n of sizes) {
  const s = [];
  const c = trees.map(() => []);
  for (let round = 0; round < 2; round++) {
    s.push(sliceUs(n));
    const order = round % 2 === 0 ? trees.map((_, k) => k) : trees.map((_, k) => k).reverse();
    for (const k of order) c[k].push(cacheUs(caches[k], n));
  }
  const fmt = (xs) => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`| ${n} | ${fmt(s)} (${((Math.min(...s) * 1000) / n).toFixed(2)}) | ${c.map(fmt).join(' | ')} |`);
}
