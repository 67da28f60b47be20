// Server time of the ask and the finish functions alone, schema 8 (or baseVersion) against the newest, on one server: both schemas in
// one database, each call timed with clock_timestamp() inside a DO block (no client, no round trip), a COMMIT after
// each lifecycle (not timed), generic plans as the store's connections use, blocks of `n` lifecycles alternated.
// The study grows by n per block, so a cost that grows with the study's trials shows block by block.
// Usage: npx tsc -p tsconfig.json && node scripts/bench/pg-function-cost.mjs [n=300] [blocks=6] [adminUrl] [baseVersion=8] [nOtherDistributions=0]
// nOtherDistributions: rows of other studies' distributions in each schema before the blocks (a database of many studies).
import pg from 'pg';
import { PG_MIGRATIONS, migratePg } from '../../dist/src/storage/postgres/migrations.js';

const n = Number(process.argv[2] ?? 300);
const blocks = Number(process.argv[3] ?? 6);
const adminUrl = process.argv[4] ?? 'postgresql://root@localhost/postgres?host=/var/run/postgresql';
const baseVersion = Number(process.argv[5] ?? 8);
const nOther = Number(process.argv[6] ?? 0);
const schemas = [[`s${baseVersion}`, baseVersion], ['latest', PG_MIGRATIONS.length]];

/** One block: n asks (the trial created, the cursor at the last one, as a single worker's asks are) and finishes. */
const block = (schema) => `DO $$ DECLARE r record; f record; after bigint := 0; ta interval := '0'; tf interval := '0'; t1 timestamptz; BEGIN
  PERFORM set_config('search_path', '${schema}', false); PERFORM set_config('plan_cache_mode', 'force_generic_plan', false);
  PERFORM set_config('jit', 'off', false);
  SELECT COALESCE(max(trial_id), 0) INTO after FROM trials;
  FOR i IN 1..${n} LOOP
    t1 := clock_timestamp();
    SELECT * INTO r FROM parzen_ask_trial(1, 'local', NULL, 1, NULL, NULL, NULL, NULL, 60000, NULL, 'a' || i, false, after, '{}', '{}', NULL, 0) LIMIT 1;
    after := r.ask_trial; ta := ta + (clock_timestamp() - t1); t1 := clock_timestamp();
    SELECT * INTO f FROM parzen_finish_trial(r.ask_trial, 'COMPLETE', 0.5, false, 2, NULL, NULL, NULL, '{a,b,c,d,e}', '{0.1,0.2,0.3,0.4,0.5}',
      '{h1,h2,h3,h4,h5}', '{h1,h2,h3,h4,h5}', '{"{}","{}","{}","{}","{}"}', '{user,user}', '{worker,epochs}', '{"\\"w0\\"",2}', 'f' || i, false, 'a' || i);
    IF f.status <> 'ok' THEN RAISE EXCEPTION 'finish: %', f.status; END IF;
    tf := tf + (clock_timestamp() - t1);
    COMMIT;
  END LOOP;
  RAISE NOTICE '% % %', '${schema}', extract(epoch from ta) * 1000 / ${n}, extract(epoch from tf) * 1000 / ${n};
END $$`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const db = `parzen_fn_${process.pid}`;
await admin.query(`CREATE DATABASE ${db}`);
try {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  for (const [s, v] of schemas) {
    await c.query(`CREATE SCHEMA ${s}; SET search_path = ${s}`);
    await migratePg(c, s, PG_MIGRATIONS.slice(0, v));
    await c.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, 0)`);
    if (nOther > 0) {
      await c.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('others', 'minimize', 1, 0)`);
      await c.query(`INSERT INTO distributions (study_id, hash, json) SELECT 2, 'o' || k, '{}' FROM generate_series(1, ${nOther}) k`);
    }
  }
  const ms = new Map(schemas.map(([s]) => [s, { ask: [], finish: [] }]));
  c.on('notice', (m) => {
    const [s, a, f] = m.message.split(' ');
    ms.get(s).ask.push(Number(a));
    ms.get(s).finish.push(Number(f));
  });
  for (let b = 0; b < blocks; b++) for (const [s] of b % 2 === 0 ? schemas : [...schemas].reverse()) await c.query(block(s));
  await c.end();
  const fmt = (xs) => xs.map((x) => x.toFixed(3)).join(' ');
  for (const [s, v] of schemas) {
    console.log(`schema ${v} (${s}): ms per call by block of ${n} — ask ${fmt(ms.get(s).ask)}; finish ${fmt(ms.get(s).finish)}`);
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
