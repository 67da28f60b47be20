// Instructions the server spends per trial lifecycle inside the ask and the finish functions (their statements,
// foreign-key and other triggers, index and WAL inserts, the commit), a measure the machine's load does not change:
// a throwaway cluster (initdb) in single-user mode (`postgres --single`, no client or socket) under valgrind's
// callgrind runs each schema's migrations, then n lifecycles as pg-function-cost.mjs's blocks do (an ask that creates
// the trial, a finish with 5 params and 2 attributes, a COMMIT after each); runs of nFew and nMany lifecycles, and
// the difference in instructions over the difference in lifecycles is the cost of one (setup and startup cancel).
// The extended protocol's own work (bind, describe, the rows sent) is not in it: pg-lifecycle-cpu.js measures that.
// Usage: npx tsc -p tsconfig.json && node scripts/bench/pg-function-instructions.mjs [baseVersion=9] [nFew=50] [nMany=550]
// PG_FN_INSTR_KEEP=<dir> keeps each run's callgrind file there (callgrind_annotate --inclusive=yes reads it).
// Runs as root: the cluster belongs to the `postgres` user (runuser), in a temporary directory removed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PG_MIGRATIONS } from '../../dist/src/storage/postgres/migrations.js';

const baseVersion = Number(process.argv[2] ?? 9);
const nFew = Number(process.argv[3] ?? 50);
const nMany = Number(process.argv[4] ?? 550);
const bin = '/usr/lib/postgresql/15/bin';
const dir = mkdtempSync(path.join(tmpdir(), 'pg-fn-instr-'));
chmodSync(dir, 0o777);
const asPostgres = (cmd, args, opts = {}) => execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', ...opts });

/** Statements for single-user mode with -j: each ends with a semicolon and an empty line. */
const stmt = (sql) => `${sql.trim().replace(/;\s*$/, '').replace(/\n\s*\n/g, '\n')};\n\n`;

/** The store at `version` in its own schema, a study, then `n` lifecycles (pg-function-cost.mjs's block). */
function script(version, n) {
  let sql = stmt(`CREATE SCHEMA s`) + stmt(`SET search_path = s`) + stmt('SET plan_cache_mode = force_generic_plan') + stmt('SET jit = off');
  sql += stmt('CREATE TABLE parzen_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  // A migration's statements go as one input (no empty line inside, which would end it early).
  for (const m of PG_MIGRATIONS.slice(0, version)) sql += stmt(m.sql);
  sql += stmt(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, 0)`);
  sql += stmt(`DO $$ DECLARE r record; f record; after bigint := 0; BEGIN
  FOR i IN 1..${n} LOOP
    SELECT * INTO r FROM parzen_ask_trial(1, 'local', NULL, 1, NULL, NULL, NULL, NULL, 60000, NULL, 'a' || i, false, after, '{}', '{}', NULL, 0) LIMIT 1;
    after := r.ask_trial;
    SELECT * INTO f FROM parzen_finish_trial(r.ask_trial, 'COMPLETE', 0.5, false, 2, NULL, NULL, NULL, '{a,b,c,d,e}', '{0.1,0.2,0.3,0.4,0.5}',
      '{h1,h2,h3,h4,h5}', CASE WHEN i = 1 THEN '{h1,h2,h3,h4,h5}' ELSE '{}' END::text[], CASE WHEN i = 1 THEN '{"{}","{}","{}","{}","{}"}' ELSE '{}' END::text[],
      '{user,user}', '{worker,epochs}', '{"\\"w0\\"",2}', 'f' || i, false, 'a' || i);
    IF f.status <> 'ok' THEN RAISE EXCEPTION 'finish: %', f.status; END IF;
    COMMIT;
  END LOOP;
END $$`);
  return sql;
}

function instructions(version, n) {
  const data = path.join(dir, `data-${version}-${n}`);
  asPostgres(`${bin}/initdb`, ['-D', data, '--auth=trust', '-U', 'postgres'], { stdio: 'ignore' });
  const input = path.join(dir, `in-${version}-${n}.sql`);
  writeFileSync(input, script(version, n));
  chmodSync(input, 0o644);
  const out = path.join(dir, `cg-${version}-${n}`);
  const run = spawnSync('runuser', ['-u', 'postgres', '--', 'valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`, `${bin}/postgres`, '--single', '-j', '-D', data, 'postgres'], {
    input: readFileSync(input, 'utf8'),
    encoding: 'utf8',
  });
  const log = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0 || /ERROR/.test(log)) throw new Error(`single-user run of schema ${version}, ${n} lifecycles failed:\n${log.slice(0, 3000)}`);
  if (process.env.PG_FN_INSTR_KEEP) copyFileSync(out, path.join(process.env.PG_FN_INSTR_KEEP, `callgrind.out.schema${version}.${n}`));
  const summary = readFileSync(out, 'utf8').match(/^summary: (\d+)/m);
  return Number(summary?.[1]);
}

try {
  const versions = [baseVersion, PG_MIGRATIONS.length];
  for (const v of versions) {
    const few = instructions(v, nFew);
    const many = instructions(v, nMany);
    console.log(`schema ${v}: ${((many - few) / (nMany - nFew)).toFixed(0)} instructions per lifecycle in the ask and the finish (runs of ${nFew} and ${nMany}: ${few} and ${many})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
