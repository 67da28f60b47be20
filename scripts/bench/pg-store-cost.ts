/**
 * Issue 14's store benchmark: one trial lifecycle through the study API on a PostgreSQL store, beside Optuna 3.1's
 * RDB storage on the same server in the same run. The lifecycle is store-cost.ts's (ask, 5 suggests, 2 user attrs,
 * tell; RandomSampler, so sampling costs nothing): wall ms per trial and transactions committed per trial, read from
 * pg_stat_database.xact_commit of a database made for the run (its connections closed first, so their counts are in).
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/pg-store-cost.js [nTrials=1000] [nPeerTrials=200] [adminUrl] [rounds=1] [warmup=0]
 * rounds > 1 splits both into that many alternating chunks (parzen, Optuna, parzen, …), so load swings fall on both.
 * warmup > 0: each client first runs that many lifecycles untimed, in a study of its own, once per process: parzen once
 * (its process, and V8's optimised code, lasts the whole run), Optuna in each round (a new Python process each time).
 * (Client CPU per round falls in a process's later rounds, 0.76, 0.65, then ~0.45 ms in 8 rounds of 250, but a warm-up
 * of 500 did not remove that: BENCHMARKS.md, "PostgreSQL store, session 27".)
 * adminUrl (default postgresql://root@localhost/postgres?host=/var/run/postgresql) names a database to connect to
 * for CREATE DATABASE; the bench database is dropped at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DEFAULT_ADMIN_URL, withAdminClient } from './pg-admin.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { createStudy } from '../../src/study/create.js';
import { storeLifecycle as lifecycle } from './store-lifecycle.js';

const nTrials = Number(process.argv[2] ?? 1000);
const nPeerTrials = Number(process.argv[3] ?? 200);
const adminUrl = process.argv[4] ?? DEFAULT_ADMIN_URL;
const rounds = Number(process.argv[5] ?? 1);
const warmup = Number(process.argv[6] ?? 0);

/** Client-side counts of what this process sends: round trips (one `query` call each) and SQL statements in them. */
const sent = { roundTrips: 0, statements: 0 };
const rawQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0];
  const text = typeof q === 'string' ? q : (q as { text?: string } | undefined)?.text ?? '';
  sent.roundTrips++;
  // A simple-protocol string may hold several statements (BEGIN; SELECT …): count each.
  sent.statements += Math.max(1, text.split(';').filter((x) => x.trim() !== '').length);
  return rawQuery.apply(this, args);
};

const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withAdminClient(adminUrl, fn);

/** Transactions committed in `db` so far, once every backend that ran them has exited (and so reported them). */
async function commits(db: string): Promise<number> {
  await sleep(300);
  return admin(async (c) => {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await c.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [db]);
    return Number(rows[0].n);
  });
}

async function parzen(url: string, db: string, nTrials: number, name: string): Promise<{ ms: number; cpuMs: number; commits: number; roundTrips: number; statements: number }> {
  const storage = await PostgresStorage.open(url, { poolSize: 2 });
  const study = await createStudy({ storage, name, sampler: new RandomSampler({ seed: 1 }) });
  await lifecycle(study, -1); // connections open and statements planned before timing
  await storage.close();
  const before = await commits(db);
  const again = await PostgresStorage.open(url, { poolSize: 2 });
  const s2 = await createStudy({ storage: again, name, sampler: new RandomSampler({ seed: 1 }), loadIfExists: true });
  const sent0 = { ...sent };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < nTrials; i++) await lifecycle(s2, i);
  const cpu = process.cpuUsage(cpu0);
  const ms = (performance.now() - t0) / nTrials;
  // This process's CPU only (the study, the store and pg's client); the server's backend is not in it.
  const cpuMs = (cpu.user + cpu.system) / 1000 / nTrials;
  const perTrial = { roundTrips: (sent.roundTrips - sent0.roundTrips) / nTrials, statements: (sent.statements - sent0.statements) / nTrials };
  await again.close();
  const after = await commits(db);
  return { ms, cpuMs, commits: (after - before) / nTrials, ...perTrial };
}

/** `n` untimed lifecycles in a study of their own, so V8 has optimised the hot path before any round is timed. */
async function warmUp(url: string, n: number): Promise<void> {
  const storage = await PostgresStorage.open(url, { poolSize: 2 });
  try {
    const study = await createStudy({ storage, name: 'warmup', sampler: new RandomSampler({ seed: 1 }) });
    for (let i = 0; i < n; i++) await lifecycle(study, i);
  } finally {
    await storage.close();
  }
}

/** Median time of one autocommitted one-row INSERT: what the server's WAL flush costs per write transaction. */
async function commitFloorMs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url.replace(/[?&]schema=\w+/, '') });
  await c.connect();
  try {
    await c.query('CREATE TABLE IF NOT EXISTS parzen_floor_probe (x int)');
    const ms: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await c.query('INSERT INTO parzen_floor_probe VALUES ($1)', [i]);
      ms.push(performance.now() - t0);
    }
    await c.query('DROP TABLE parzen_floor_probe');
    return ms.sort((a, b) => a - b)[100];
  } finally {
    await c.end();
  }
}

function optuna(db: string, nPeerTrials: number): { line: string; ms: number; statements: number; sessionCommits: number } {
  const url = `postgresql+psycopg2://root@/${db}?host=/var/run/postgresql`;
  const args = ['scripts/bench/peers/optuna_store_lifecycle.py', String(nPeerTrials), url, String(warmup)];
  const line = execFileSync('/usr/bin/python3', args, { encoding: 'utf8' }).trim();
  const num = (re: RegExp): number => Number(re.exec(line)?.[1]);
  return { line, ms: num(/= ([\d.]+) ms\/trial/), statements: num(/([\d.]+) statements\/trial/), sessionCommits: num(/([\d.]+) session commits\/trial/) };
}

const db = `parzen_bench_${randomBytes(4).toString('hex')}`;
await admin((c) => c.query(`CREATE DATABASE ${db}`));
try {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  // parzen's tables in their own schema: Optuna's (studies, trials, …) take the same names in public.
  u.searchParams.set('schema', 'parzen');
  const version = await admin(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  console.log(`node ${process.version}, PostgreSQL ${version} (unix socket), ${nTrials} parzen trials, ${nPeerTrials} Optuna trials, ${rounds} round(s), ${warmup} warm-up lifecycles`);
  if (warmup > 0) await warmUp(u.toString(), warmup);
  const ratios: number[] = [];
  const totals = { ours: 0, peer: 0 };
  for (let r = 0; r < rounds; r++) {
    const floor = await commitFloorMs(u.toString());
    console.log(`round ${r + 1}: one durable commit of a one-row INSERT on this server: ${floor.toFixed(2)} ms (the floor every write transaction pays)`);
    const ours = await parzen(u.toString(), db, Math.round(nTrials / rounds), `life${r}`);
    totals.ours += ours.ms;
    console.log(
      `round ${r + 1}: parzen lifecycle on PostgreSQL: ${ours.ms.toFixed(3)} ms/trial (client CPU ${ours.cpuMs.toFixed(3)} ms), ` +
        `${ours.commits.toFixed(2)} commits/trial (read-only ones included), ` +
        `${ours.roundTrips.toFixed(2)} round trips and ${ours.statements.toFixed(2)} statements sent per trial`,
    );
    if (nPeerTrials === 0) continue;
    const n = Math.round(nPeerTrials / rounds);
    const before = await commits(db);
    const peer = optuna(db, n);
    totals.peer += peer.ms;
    // With a warm-up the server's count holds the warm-up study's commits too: take the peer's own count of the timed part.
    const peerCommits = warmup > 0 ? peer.sessionCommits : ((await commits(db)) - before) / n;
    ratios.push(peer.ms / ours.ms);
    console.log(`round ${r + 1}: optuna 3.1 RDBStorage (psycopg2, RandomSampler): ${peer.line}; ${peerCommits.toFixed(2)} commits/trial (${warmup > 0 ? 'its session count' : 'incl. study creation'})`);
    console.log(
      `round ${r + 1}: ratio optuna / parzen: ${(peer.ms / ours.ms).toFixed(1)}x time per trial, ${(peerCommits / ours.commits).toFixed(1)}x commits per trial, ` +
        `${(peer.statements / ours.statements).toFixed(1)}x statements per trial`,
    );
  }
  if (ratios.length > 1) {
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `over ${rounds} rounds: mean ms per trial optuna / parzen ${(totals.peer / totals.ours).toFixed(1)}x; per-round ratios ${ratios.map((x) => x.toFixed(1)).join(', ')} ` +
        `(median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}x)`,
    );
  }
} finally {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
