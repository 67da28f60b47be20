/**
 * Where a PostgreSQL trial lifecycle's time goes, in measures the machine's load does not change much: this
 * process's CPU (user and system, process.cpuUsage) and the server backends' CPU (their /proc/<pid>/schedstat run
 * time: the server must be on this machine) per lifecycle, beside the wall time and the round trips, block by block
 * from a fresh process, as pg-store-cost.ts times its rounds (a new store, so new connections, per round; the
 * lifecycle of store-lifecycle.ts, RandomSampler).
 *
 * `--trees A,B,…` loads the store and study code from each of those compiled trees (their `dist` folders, e.g. main's
 * and a branch's), each in a child process of its own, alternated round by round: an A/B of two versions' client CPU
 * on one server, on one database per child.
 * Usage: node dist/scripts/bench/pg-lifecycle-cpu.js [nLifecycles=1000] [rounds=4] [adminUrl] [--trees distA,distB] [--repeat 3]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { DEFAULT_ADMIN_URL, withAdminClient } from './pg-admin.js';

const flags = new Map<string, string>();
const positional: string[] = [];
for (let k = 2; k < process.argv.length; k++) {
  const a = process.argv[k];
  if (a.startsWith('--')) flags.set(a.slice(2), process.argv[++k]);
  else positional.push(a);
}
const nLifecycles = Number(positional[0] ?? 1000);
const rounds = Number(positional[1] ?? 4);
const adminUrl = positional[2] ?? DEFAULT_ADMIN_URL;
const ownDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Round trips this process sent (one `query` call each). */
let roundTrips = 0;
const rawQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips++;
  return rawQuery.apply(this, args);
};

/** CPU nanoseconds the calling thread has run (/proc/thread-self/schedstat). */
const threadCpuNs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);

/** Process ids of the backends serving `db`'s parzen connections. */
const backendPids = (db: string): Promise<number[]> =>
  withAdminClient(adminUrl, async (c) =>
    (await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'parzen'", [db])).rows.map((r) => r.pid),
  );

/** CPU nanoseconds the backends serving `db`'s parzen connections have run, from their schedstat. */
async function backendCpuNs(db: string): Promise<number> {
  let ns = 0;
  for (const pid of await backendPids(db)) ns += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  return ns;
}

interface Row {
  readonly tree: string;
  readonly round: number;
  readonly wallMs: number;
  readonly userMs: number;
  readonly sysMs: number;
  /** The main thread's CPU alone (what the lifecycle waits for; V8's compiler and GC helper threads run beside it). */
  readonly mainMs: number;
  readonly serverMs: number;
  readonly roundTrips: number;
  /** WAL the server wrote per lifecycle (pg_current_wal_insert_lsn before and after: the whole server's, so other clients' writes count too). */
  readonly walBytes: number;
  /** The backends that served the round (pg-server-instructions.sh reads their callgrind counts). */
  readonly serverPids: readonly number[];
}

/** The server's WAL insert position, in bytes. */
const walLsn = (): Promise<bigint> =>
  withAdminClient(adminUrl, async (c) => BigInt((await c.query<{ b: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS b")).rows[0].b));

/** One child's run: `rounds` rounds of fresh stores on one database, the code from `dist`. */
async function runTree(dist: string): Promise<Row[]> {
  const storeMod = (await import(pathToFileURL(path.join(dist, 'src/storage/postgres/postgres-storage.js')).href)) as typeof import('../../src/storage/postgres/postgres-storage.js');
  const samplers = (await import(pathToFileURL(path.join(dist, 'src/samplers/index.js')).href)) as typeof import('../../src/samplers/index.js');
  const create = (await import(pathToFileURL(path.join(dist, 'src/study/create.js')).href)) as typeof import('../../src/study/create.js');
  const { storeLifecycle } = (await import(pathToFileURL(path.join(dist, 'scripts/bench/store-lifecycle.js')).href)) as typeof import('./store-lifecycle.js');
  const db = `parzen_cpu_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE ${db}`));
  const out: Row[] = [];
  try {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    u.searchParams.set('schema', 'parzen');
    const url = u.toString();
    const setup = await storeMod.PostgresStorage.open(url, { poolSize: 2 });
    await setup.close();
    const n = Math.round(nLifecycles / rounds);
    for (let r = 0; r < rounds; r++) {
      const storage = await storeMod.PostgresStorage.open(url, { poolSize: 2 });
      const study = await create.createStudy({ storage, name: `life${r}`, sampler: new samplers.RandomSampler({ seed: 1 }) });
      await storeLifecycle(study, -1); // both pooled connections open before timing, as in pg-store-cost.ts's rounds
      await storeLifecycle(study, -1);
      const s0 = await backendCpuNs(db);
      const w0 = await walLsn();
      const rt0 = roundTrips;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const m0 = threadCpuNs();
      for (let i = 0; i < n; i++) await storeLifecycle(study, i);
      const mainMs = (threadCpuNs() - m0) / 1e6 / n;
      const cpu = process.cpuUsage(c0);
      const wallMs = (performance.now() - t0) / n;
      const rts = (roundTrips - rt0) / n;
      const s1 = await backendCpuNs(db);
      const walBytes = Number((await walLsn()) - w0) / n;
      const serverPids = await backendPids(db);
      await storage.close();
      out.push({ tree: dist, round: r + 1, wallMs, userMs: cpu.user / 1000 / n, sysMs: cpu.system / 1000 / n, mainMs, serverMs: (s1 - s0) / 1e6 / n, roundTrips: rts, walBytes, serverPids });
    }
  } finally {
    await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  }
  return out;
}

const fmt = (r: Row): string =>
  `${r.tree} round ${r.round}: wall ${r.wallMs.toFixed(3)} ms, client CPU ${(r.userMs + r.sysMs).toFixed(3)} ms (user ${r.userMs.toFixed(3)}, ` +
  `sys ${r.sysMs.toFixed(3)}; main thread ${r.mainMs.toFixed(3)}), server backends ${r.serverMs.toFixed(3)} ms, ${r.roundTrips.toFixed(2)} round trips, ${r.walBytes.toFixed(0)} WAL bytes per lifecycle`;

if (flags.has('child')) {
  process.stdout.write(JSON.stringify(await runTree(flags.get('child') ?? ownDist)));
} else {
  const trees = (flags.get('trees') ?? ownDist).split(',').map((t) => path.resolve(t));
  const repeat = Number(flags.get('repeat') ?? 1);
  const me = fileURLToPath(import.meta.url);
  const all = new Map<string, Row[]>(trees.map((t) => [t, []]));
  for (let k = 0; k < repeat; k++) {
    for (const t of k % 2 === 0 ? trees : [...trees].reverse()) {
      const json = execFileSync(process.execPath, [me, String(nLifecycles), String(rounds), adminUrl, '--child', t], { encoding: 'utf8' });
      const rows = JSON.parse(json) as Row[];
      for (const r of rows) console.log(fmt(r));
      all.get(t)?.push(...rows);
    }
  }
  for (const [t, rows] of all) {
    const mean = (f: (r: Row) => number): string => (rows.reduce((s, r) => s + f(r), 0) / rows.length).toFixed(3);
    console.log(
      `${t}: over ${rows.length} rounds of ${Math.round(nLifecycles / rounds)}: wall ${mean((r) => r.wallMs)} ms, client CPU ${mean((r) => r.userMs + r.sysMs)} ms ` +
        `(main thread ${mean((r) => r.mainMs)}), server backends ${mean((r) => r.serverMs)} ms, ${mean((r) => r.roundTrips)} round trips, ${mean((r) => r.walBytes)} WAL bytes per lifecycle`,
    );
  }
}
