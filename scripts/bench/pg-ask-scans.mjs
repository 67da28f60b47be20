// Issue 14: what the lean ask (parzen_ask_lean) and the finish read per lifecycle on the server, by study size, in
// measures the machine's load does not change: rows a lifecycle reads from `trials` by sequential scan and by index
// (pg_stat_xact_user_tables, this backend's counts in the open transaction), the statements' plans inside the
// functions (auto_explain, nested statements, at NOTICE), and each call's server time (clock_timestamp() inside a
// DO block: no client, no round trip). One schema per size, migrated by the given tree's migrations (main's dist
// and a branch's give an A/B of their schemas), its study seeded by SQL with `size` COMPLETE trials of 2 params, then
// ANALYZE. The asks are a single worker's usual ones (the cursor at its last trial, the lease reap on, as
// `tune worker` sends), each followed by its finish, one transaction per lifecycle; warm-up lifecycles first, so the
// plans are those a store connection settles on (plan_cache_mode auto: generic after the fifth call, when cheaper).
// Usage: npx tsc -p tsconfig.json && node scripts/bench/pg-ask-scans.mjs <dist> [sizes=1000,20000] [n=200] [adminUrl] [--plans] [--behind k] [--others m]
//   <dist>: a compiled tree's dist folder (its src/storage/postgres/migrations.js gives the schema).
//   --plans: also print, for the largest size, every nested statement's plan of one lifecycle after the warm-up.
//   --behind k: each ask's cursor k trials behind the newest (as if k other workers had each created a trial since
//     this one's last ask), so the ask runs its read (k + 1 trials as JSON) instead of the usual path.
//   --others m: m other studies in each schema, each with as many finished trials, stored before the measured one's
//     (a database of many studies: the statistics then make the planner prefer the (study_id, trial_id) index).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? 0 : Number(argv[i + 1]);
};
const behind = flag('--behind');
const others = flag('--others');
const study = others + 1;
const valued = new Set(['--behind', '--others'].map((f) => argv.indexOf(f) + 1).filter((i) => i > 0));
const args = argv.filter((a, i) => !a.startsWith('--') && !valued.has(i));
const showPlans = argv.includes('--plans');
if (![behind, others].every((x) => Number.isInteger(x) && x >= 0)) {
  console.error(`--behind and --others take a non-negative integer, got ${behind} and ${others}`);
  process.exit(2);
}
if (args[0] === undefined) {
  console.error('usage: node scripts/bench/pg-ask-scans.mjs <dist> [sizes=1000,20000] [n=200] [adminUrl] [--plans]');
  process.exit(2);
}
const dist = path.resolve(args[0]);
const sizes = (args[1] ?? '1000,20000').split(',').map(Number);
const n = Number(args[2] ?? 200);
const adminUrl = args[3] ?? 'postgresql://root@localhost/postgres?host=/var/run/postgresql';
if (sizes.some((s) => !Number.isInteger(s) || s < 1) || !Number.isInteger(n) || n < 1) {
  console.error(`sizes must be positive integers (got ${args[1]}) and n a positive integer (got ${args[2]})`);
  process.exit(2);
}
const { PG_MIGRATIONS, migratePg } = await import(pathToFileURL(path.join(dist, 'src/storage/postgres/migrations.js')).href);
const pg = (await import('pg')).default;
const WARM = 8;

const ask = (after, tok) =>
  `SELECT * INTO r FROM parzen_ask_lean(${study}, 'w', 'w', 1, NULL, NULL, NULL, NULL, 60000, NULL, ${tok}, false, ${after}, '{}', '{}', 'w', 0) LIMIT 1`;
const finish = (tok) =>
  `SELECT * INTO f FROM parzen_finish_trial(r.ask_trial, 'COMPLETE', 0.5, false, 2, NULL, NULL, NULL, '{x,y}', '{0.1,0.2}', '{hx,hy}', '{}', '{}',
     '{}', '{}', '{}', 'f' || ${tok}, false, ${tok})`;
// Pages of trials and of its indexes read (hit in shared buffers or not): whatever walks the study, a scan of the table
// or an index range read entry by entry (entries a btree skips on its own are in no row count), reads pages in proportion.
const stats = `SELECT seq_scan, seq_tup_read, COALESCE(idx_scan, 0) AS idx_scan, COALESCE(idx_tup_fetch, 0) AS idx_tup_fetch,
    pg_stat_get_xact_blocks_fetched('trials'::regclass) AS heap_pages,
    (SELECT sum(pg_stat_get_xact_blocks_fetched(i.indexrelid)) FROM pg_index i WHERE i.indrelid = 'trials'::regclass) AS index_pages
  INTO s FROM pg_stat_xact_user_tables WHERE relid = 'trials'::regclass`;

/** `count` lifecycles, one transaction each; NOTICE per lifecycle: ask ms, finish ms, trials' seq scans, seq rows, index scans, rows by index, table pages, index pages. */
const lifecycles = (schema, count, label) => `DO $$ DECLARE r record; f record; s record; s0 record; after bigint; t1 timestamptz; ta float8; tf float8; BEGIN
  PERFORM set_config('search_path', '${schema}', false); PERFORM set_config('jit', 'off', false);
  SELECT max(trial_id) - ${behind} INTO after FROM trials;
  FOR i IN 1..${count} LOOP
    ${stats}; s0 := s;
    t1 := clock_timestamp();
    ${ask('after', `'${label}' || i`)};
    ta := extract(epoch from clock_timestamp() - t1) * 1000;
    IF r.ask_status <> 'ok' OR (r.ask_number IS NULL) <> (${behind} > 0) THEN RAISE EXCEPTION 'ask: % %', r.ask_status, r.ask_number; END IF;
    t1 := clock_timestamp();
    ${finish(`'${label}' || i`)};
    tf := extract(epoch from clock_timestamp() - t1) * 1000;
    IF f.status <> 'ok' THEN RAISE EXCEPTION 'finish: %', f.status; END IF;
    after := r.ask_trial - ${behind};
    ${stats};
    RAISE NOTICE 'L % % % % % % % % %', '${schema}', ta, tf, s.seq_scan - s0.seq_scan, s.seq_tup_read - s0.seq_tup_read, s.idx_scan - s0.idx_scan,
      s.idx_tup_fetch - s0.idx_tup_fetch, s.heap_pages - s0.heap_pages, s.index_pages - s0.index_pages;
    COMMIT;
  END LOOP;
END $$`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const db = `parzen_scans_${process.pid}`;
await admin.query(`CREATE DATABASE ${db}`);
try {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  const got = new Map(sizes.map((s) => [`s${s}`, []]));
  const plans = [];
  c.on('notice', (m) => {
    if (m.message.startsWith('L ')) {
      const [, schema, ...xs] = m.message.split(' ');
      got.get(schema).push(xs.map(Number));
    } else plans.push(m.message);
  });
  for (const size of sizes) {
    const s = `s${size}`;
    await c.query(`CREATE SCHEMA ${s}; SET search_path = ${s}`);
    await migratePg(c, s, PG_MIGRATIONS);
    // The other studies first (ids 1 to m), so the measured one is study m + 1 and its trials the newest.
    await c.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) SELECT 'o' || k, 'minimize', 1, $1 FROM generate_series(1, $2::int) k`, [size, others]);
    await c.query(`INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete)
      SELECT o, k - 1, 'COMPLETE', random(), 0, 0 FROM generate_series(1, $2::int) o, generate_series(1, $1::int) k`, [size, others]);
    await c.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, $1)`, [size]);
    await c.query(`INSERT INTO distributions (study_id, hash, json) VALUES (${study}, 'hx', '{"kind":"float","low":-5,"high":5,"log":false,"step":null}'),
      (${study}, 'hy', '{"kind":"float","low":-5,"high":5,"log":false,"step":null}')`);
    await c.query(`WITH ins AS (INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete)
        SELECT ${study}, k - 1, 'COMPLETE', random(), 0, 0 FROM generate_series(1, $1::int) k RETURNING trial_id)
      INSERT INTO trial_params (trial_id, name, internal, distribution_id) SELECT trial_id, v.name, random(), v.d FROM ins, (VALUES ('x', 1), ('y', 2)) v(name, d)`, [size]);
    await c.query('ANALYZE');
  }
  const version = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
  // Each schema's warm-up, then blocks of 20 lifecycles alternated between the sizes, so the load falls on all alike.
  for (const size of sizes) await c.query(lifecycles(`s${size}`, WARM, 'warm'));
  for (const v of got.values()) v.length = 0;
  if (showPlans) {
    const s = `s${Math.max(...sizes)}`;
    await c.query(`LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
      SET auto_explain.log_analyze = on; SET auto_explain.log_timing = off; SET auto_explain.log_level = notice; SET client_min_messages = notice`);
    const after = (await c.query(`SELECT max(trial_id) - ${behind} AS m FROM ${s}.trials`)).rows[0].m;
    await c.query(`SET search_path = ${s}`);
    await c.query(`BEGIN`);
    const r = (await c.query(`SELECT DISTINCT ask_trial FROM parzen_ask_lean(${study}, 'w', 'w', 1, NULL, NULL, NULL, NULL, 60000, NULL, 'plan', false, ${after}, '{}', '{}', 'w', 0)`)).rows[0];
    await c.query(`SELECT status FROM parzen_finish_trial(${r.ask_trial}, 'COMPLETE', 0.5, false, 2, NULL, NULL, NULL, '{x,y}', '{0.1,0.2}', '{hx,hy}', '{}', '{}',
      '{}', '{}', '{}', 'fplan', false, 'plan')`);
    await c.query('COMMIT');
    await c.query('SET auto_explain.log_min_duration = -1');
    console.log(`plans of one lifecycle (ask, then finish) at ${Math.max(...sizes)} trials, schema ${version}:`);
    for (const p of plans) console.log(`---\n${p}`);
    console.log('---');
  }
  for (let done = 0, k = 0; done < n; done += 20, k++) {
    const m = Math.min(20, n - done);
    for (const size of k % 2 === 0 ? sizes : [...sizes].reverse()) await c.query(lifecycles(`s${size}`, m, `b${k}_`));
  }
  await c.end();
  console.log(`schema ${version} (${dist}), cursor ${behind} behind, ${others} other studies, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${n} lifecycles per size, medians (server ms) and means (what a lifecycle read of trials):`);
  console.log('| stored trials | ask ms | finish ms | seq scans | rows by seq scan | index scans | rows fetched by index | table pages read | index pages read |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rows = new Map();
  for (const size of sizes) {
    const xs = got.get(`s${size}`);
    const col = (i) => xs.map((x) => x[i]);
    rows.set(size, { ask: median(col(0)), finish: median(col(1)) });
    console.log(`| ${size} | ${median(col(0)).toFixed(3)} | ${median(col(1)).toFixed(3)} | ${mean(col(2)).toFixed(2)} | ${mean(col(3)).toFixed(1)} | ${mean(col(4)).toFixed(2)} | ${mean(col(5)).toFixed(1)} | ${mean(col(6)).toFixed(1)} | ${mean(col(7)).toFixed(1)} |`);
  }
  if (sizes.length === 2) {
    const [a, b] = sizes.map((s) => rows.get(s));
    console.log(`ratio ${sizes[1]} / ${sizes[0]}: ask ${(b.ask / a.ask).toFixed(2)}x, finish ${(b.finish / a.finish).toFixed(2)}x`);
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
