/**
 * Issue 14's throughput benchmark: trials per second with 1 and 4 worker processes on one shared PostgreSQL study,
 * for parzen (`tune worker`, TPE, trials in-process) and Optuna 3.1 (scripts/bench/peers/optuna_worker.py, TPE,
 * psycopg2), same server, same run, same objective (Branin, which costs nothing: what is measured is the workers'
 * sampling and store traffic). Throughput is N / (last trial's completion − first trial's start), read from each
 * store's own tables, so process start-up (node + tsx, python + optuna imports) is left out for both.
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/pg-workers.js [nTrials=100] [workerCounts=1,4] [adminUrl]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const nTrials = Number(process.argv[2] ?? 100);
const counts = (process.argv[3] ?? '1,4').split(',').map(Number);
const adminUrl = process.argv[4] ?? 'postgresql://root@localhost/postgres?host=/var/run/postgresql';

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`))));
  });
}

async function query<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

const db = `parzen_bench_${randomBytes(4).toString('hex')}`;
await query(adminUrl, `CREATE DATABASE ${db}`);
const u = new URL(adminUrl);
u.pathname = `/${db}`;
const dbUrl = u.toString();
try {
  const rows: string[] = [];
  const rates = new Map<string, number>();
  for (const k of counts) {
    // parzen: its tables in their own schema (Optuna's take the same names in public).
    const pu = new URL(dbUrl);
    pu.searchParams.set('schema', `parzen_${k}`);
    const args = ['dist/src/cli/bin.js', 'worker', '--objective', 'examples/branin.ts', '--study', 'b', '--trials', String(nTrials), '--workers', '0', '--storage', pu.toString()];
    await Promise.all(Array.from({ length: k }, () => run(process.execPath, args)));
    const [p] = await query<{ n: number; span: number }>(
      dbUrl,
      `SELECT COUNT(*) FILTER (WHERE state = 'COMPLETE')::int AS n, (MAX(datetime_complete) - MIN(datetime_start))::float8 / 1000 AS span FROM parzen_${k}.trials`,
    );
    // Optuna: one study per worker count in public.
    const ou = `postgresql+psycopg2://${u.username || 'root'}@/${db}?host=${u.searchParams.get('host') ?? '/var/run/postgresql'}`;
    await Promise.all(Array.from({ length: k }, () => run('/usr/bin/python3', ['scripts/bench/peers/optuna_worker.py', String(nTrials), ou, `b${k}`])));
    const [o] = await query<{ n: number; span: number }>(
      dbUrl,
      `SELECT COUNT(*) FILTER (WHERE t.state = 'COMPLETE')::int AS n, EXTRACT(EPOCH FROM MAX(t.datetime_complete) - MIN(t.datetime_start))::float8 AS span
       FROM trials t JOIN studies s USING (study_id) WHERE s.study_name = $1`,
      [`b${k}`],
    );
    rates.set(`parzen ${k}`, p.n / p.span);
    rates.set(`optuna ${k}`, o.n / o.span);
    rows.push(`| ${k} | ${p.n} in ${p.span.toFixed(1)} s = **${(p.n / p.span).toFixed(1)}/s** | ${o.n} in ${o.span.toFixed(1)} s = ${(o.n / o.span).toFixed(1)}/s | ${(p.n / p.span / (o.n / o.span)).toFixed(1)}× |`);
  }
  const [v] = await query<{ v: string }>(adminUrl, "SELECT current_setting('server_version') AS v");
  console.log(`node ${process.version}, PostgreSQL ${v.v}; Branin, TPE, ${nTrials} COMPLETE trials per study; workers are processes started together`);
  console.log('| workers | parzen (tune worker) | Optuna 3.1 (psycopg2) | parzen / Optuna |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  for (const who of ['parzen', 'optuna']) {
    if (counts.length === 2) console.log(`${who}: ${counts[1]} workers give ${((rates.get(`${who} ${counts[1]}`) ?? 0) / (rates.get(`${who} ${counts[0]}`) ?? 1)).toFixed(2)}× the trials/s of ${counts[0]}`);
  }
} finally {
  await query(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
}
