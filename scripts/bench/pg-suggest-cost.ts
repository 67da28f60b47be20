/**
 * Issue 14's incremental-read benchmark: what one suggestion costs a worker on a PostgreSQL study that already holds
 * 1,000 and 20,000 finished trials (both in the same run, on the same server). A worker joins the study (one full
 * read, timed apart), then runs trial lifecycles — ask (lease reap, the sampler's read of every trial, create),
 * two suggests, tell — with RandomSampler (the store's share: sampling costs nothing) and with TPE (the whole
 * suggestion). Reads after the first fetch only trials created since, and those unfinished then (trial-cache.ts),
 * so the store's share should not grow with the trials stored; TPE's own work does (it scores every trial).
 * The stored trials are inserted by SQL (one INSERT … SELECT from generate_series), in the store's own tables,
 * with the distributions a first trial wrote through the API: building 20,000 through the API would take minutes.
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/pg-suggest-cost.js [sizes=1000,20000] [nLifecycles=60] [adminUrl]
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_ADMIN_URL, withAdminClient } from './pg-admin.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { Sampler, SamplerContext } from '../../src/samplers/index.js';
import type { Distribution, SearchSpace } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { createStudy } from '../../src/study/create.js';
import type { Study } from '../../src/study/study.js';

const sizes = (process.argv[2] ?? '1000,20000').split(',').map(Number);
const nLifecycles = Number(process.argv[3] ?? 60);
const adminUrl = process.argv[4] ?? DEFAULT_ADMIN_URL;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Forwards to a sampler and adds up the time spent inside it: the suggestion's sampler-only share. */
class TimedSampler implements Sampler {
  ms = 0;
  constructor(readonly inner: Sampler) {}
  #time<T>(fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - t0;
    }
  }
  inferRelativeSearchSpace(ctx: SamplerContext, trial: FrozenTrial): SearchSpace {
    return this.#time(() => this.inner.inferRelativeSearchSpace(ctx, trial));
  }
  sampleRelative(ctx: SamplerContext, trial: FrozenTrial, space: SearchSpace) {
    return this.#time(() => this.inner.sampleRelative(ctx, trial, space));
  }
  sampleIndependent(ctx: SamplerContext, trial: FrozenTrial, name: string, d: Distribution) {
    return this.#time(() => this.inner.sampleIndependent(ctx, trial, name, d));
  }
}

async function lifecycle(study: Study): Promise<void> {
  const t = await study.ask();
  const x = t.suggestFloat('x', -5, 5);
  const y = t.suggestFloat('y', -5, 5);
  await study.tell(t, x * x + y * y);
}

/** A study named `s` in `url` with `n` COMPLETE trials: one through the API (its distributions), the rest by SQL. */
async function seed(url: string, schema: string, n: number): Promise<void> {
  const storage = await PostgresStorage.open(url);
  const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
  await lifecycle(study);
  await storage.close();
  const direct = new URL(url);
  direct.searchParams.delete('schema');
  const c = new pg.Client({ connectionString: direct.toString(), options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const { rows } = await c.query<{ name: string; d: string; study: string }>(
      'SELECT p.name, p.distribution_id AS d, t.study_id AS study FROM trial_params p JOIN trials t USING (trial_id)',
    );
    const dist = Object.fromEntries(rows.map((r) => [r.name, r.d]));
    await c.query(
      `WITH g AS (SELECT k, random() * 10 - 5 AS x, random() * 10 - 5 AS y FROM generate_series(1, $2::int - 1) AS k),
       ins AS (INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete)
               SELECT $1, k, 'COMPLETE', x * x + y * y, 0, 0 FROM g RETURNING trial_id, number)
       INSERT INTO trial_params (trial_id, name, internal, distribution_id)
       SELECT ins.trial_id, v.name, v.internal, v.d FROM ins JOIN g ON g.k = ins.number,
         LATERAL (VALUES ('x', g.x, $3::bigint), ('y', g.y, $4::bigint)) AS v(name, internal, d)`,
      [rows[0].study, n, dist.x, dist.y],
    );
    await c.query('UPDATE studies SET next_trial_number = $1', [n]);
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

interface Measured {
  firstReadMs: number;
  rereadMs: number;
  randomMs: number;
  tpeMs: number;
  /** Median time inside the TPE sampler per lifecycle, on the PostgreSQL store. */
  tpeSamplerMs: number;
  tpeMemoryMs?: number;
}

interface Joined {
  study: Study;
  close: () => Promise<void>;
  firstMs: number;
}

async function join(url: string, sampler: Sampler): Promise<Joined> {
  const storage = await PostgresStorage.open(url, { poolSize: 2 });
  const study = await createStudy({ storage, name: 's', sampler, loadIfExists: true });
  const t0 = performance.now();
  await study.getTrials();
  const firstMs = performance.now() - t0;
  await lifecycle(study); // statements planned before timing
  return { study, close: () => storage.close(), firstMs };
}

/**
 * Every size's study joined at once, then lifecycles taken in turn (size a, size b, size a, …), so the machine's
 * load, which swings by several times on this shared VM, falls on every size alike.
 */
async function measure(urls: readonly string[]): Promise<Measured[]> {
  const timeEach = async (joined: Joined[], n: number, fn: (s: Study) => Promise<unknown>): Promise<number[]> => {
    const ms: number[][] = joined.map(() => []);
    for (let i = 0; i < n; i++) {
      for (const [k, j] of joined.entries()) {
        const t0 = performance.now();
        await fn(j.study);
        ms[k].push(performance.now() - t0);
      }
    }
    return ms.map(median);
  };
  const random = await Promise.all(urls.map((u, i) => join(u, new RandomSampler({ seed: 2 + i }))));
  const rereads = await timeEach(random, 40, (s) => s.getTrials());
  const randomMs = await timeEach(random, nLifecycles, lifecycle);
  await Promise.all(random.map((j) => j.close()));
  const timed = urls.map((_, i) => new TimedSampler(new TPESampler({ seed: 9 + i })));
  const tpe = await Promise.all(urls.map((u, i) => join(u, timed[i])));
  const samplerMs: number[][] = urls.map(() => []);
  const tpeMs = await timeEach(tpe, nLifecycles, async (s) => {
    const k = tpe.findIndex((j) => j.study === s);
    const before = timed[k].ms;
    await lifecycle(s);
    samplerMs[k].push(timed[k].ms - before);
  });
  await Promise.all(tpe.map((j) => j.close()));
  return urls.map((_, k) => ({
    firstReadMs: random[k].firstMs, rereadMs: rereads[k], randomMs: randomMs[k], tpeMs: tpeMs[k], tpeSamplerMs: median(samplerMs[k]),
  }));
}

/** TPE's own cost: the same lifecycle on an in-memory store holding `n` COMPLETE trials like the seeded ones. */
async function tpeInMemoryMs(n: number): Promise<number> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 's', sampler: new TPESampler({ seed: 4 }) });
  const d = float(-5, 5);
  for (let k = 0; k < n; k++) {
    const [x, y] = [Math.random() * 10 - 5, Math.random() * 10 - 5];
    const t = await storage.createTrial(study.studyId, { params: { x: { distribution: d, internal: x }, y: { distribution: d, internal: y } } });
    await storage.finishTrial(t.trialId, { state: 'COMPLETE', value: x * x + y * y });
  }
  await lifecycle(study);
  const ms: number[] = [];
  for (let i = 0; i < nLifecycles; i++) {
    const t0 = performance.now();
    await lifecycle(study);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withAdminClient(adminUrl, fn);

const db = `parzen_bench_${randomBytes(4).toString('hex')}`;
await admin((c) => c.query(`CREATE DATABASE ${db}`));
try {
  const urls: string[] = [];
  for (const n of sizes) {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    u.searchParams.set('schema', `s${n}`);
    const s0 = performance.now();
    await seed(u.toString(), `s${n}`, n);
    console.log(`seeded ${n} trials in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    urls.push(u.toString());
  }
  const measured = await measure(urls);
  const results = new Map(sizes.map((n, k) => [n, measured[k]]));
  for (const n of sizes) (results.get(n) as Measured).tpeMemoryMs = await tpeInMemoryMs(n);
  const version = await admin(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  console.log(`node ${process.version}, PostgreSQL ${version}; medians of ${nLifecycles} lifecycles (ask, 2 suggests, tell) per cell`);
  console.log(
    '| stored trials | first read (worker joins) | re-read, nothing new | lifecycle, RandomSampler | lifecycle, TPE | of which inside TPE | TPE lifecycle minus TPE | same TPE lifecycle, in-memory store |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [n, r] of results) {
    console.log(
      `| ${n} | ${r.firstReadMs.toFixed(1)} ms | ${r.rereadMs.toFixed(2)} ms | ${r.randomMs.toFixed(2)} ms | ${r.tpeMs.toFixed(2)} ms | ` +
        `${r.tpeSamplerMs.toFixed(2)} ms | ${(r.tpeMs - r.tpeSamplerMs).toFixed(2)} ms | ${r.tpeMemoryMs?.toFixed(2)} ms |`,
    );
  }
  if (sizes.length === 2) {
    const [a, b] = sizes.map((n) => results.get(n) as Measured);
    console.log(
      `ratio ${sizes[1]} / ${sizes[0]}: re-read ${(b.rereadMs / a.rereadMs).toFixed(2)}x, lifecycle with RandomSampler ${(b.randomMs / a.randomMs).toFixed(2)}x, ` +
        `with TPE ${(b.tpeMs / a.tpeMs).toFixed(2)}x (inside TPE ${(b.tpeSamplerMs / a.tpeSamplerMs).toFixed(2)}x, the rest ` +
        `${((b.tpeMs - b.tpeSamplerMs) / (a.tpeMs - a.tpeSamplerMs)).toFixed(2)}x; in memory ${((b.tpeMemoryMs ?? 0) / (a.tpeMemoryMs ?? 1)).toFixed(2)}x), ` +
        `first read ${(b.firstReadMs / a.firstReadMs).toFixed(1)}x`,
    );
  }
} finally {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
