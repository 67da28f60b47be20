// Issue 14 diagnosis (s29-sugg): per-phase medians (ask, 2 suggests, tell) and process CPU of the RandomSampler lifecycle on
// PostgreSQL and in-memory stores, plus the server's time per function (pg_stat_user_functions, track_functions=all).
// Usage: npx tsc -p tsconfig.json && node scripts/bench/suggest-phases.mjs $PWD/dist [sizes=1000,20000] [n=200] [stores=pg,mem]
// stores=pg leaves the in-memory studies out (their garbage, 20,000 trials' lists per ask, is collected while the
// PostgreSQL lifecycles run and counts in this process's CPU).
const D = process.argv[2]; // the dist directory (an absolute path)
const sizes = (process.argv[3] ?? '1000,20000').split(',').map(Number);
const N = Number(process.argv[4] ?? 200);
const kinds = (process.argv[5] ?? 'pg,mem').split(',');
const { randomBytes } = await import('node:crypto');
const pg = (await import(D + '/../node_modules/pg/lib/index.js')).default;
const { PostgresStorage } = await import(D + '/src/storage/postgres/postgres-storage.js');
const { InMemoryStorage } = await import(D + '/src/storage/memory.js');
// The time inside StudyTrialCache.update (the PostgreSQL store's list of every trial, built per ask), while `timing`.
const { StudyTrialCache } = await import(D + '/src/storage/trial-cache.js');
const cacheUpdate = StudyTrialCache.prototype.update;
const updateMs = [];
let timing = false;
StudyTrialCache.prototype.update = function (fresh) { const t0 = performance.now(); try { return cacheUpdate.call(this, fresh); } finally { if (timing) updateMs.push(performance.now() - t0); } };
const { RandomSampler } = await import(D + '/src/samplers/index.js');
const { createStudy } = await import(D + '/src/study/create.js');
const { float } = await import(D + '/src/space/distributions.js');
const admin = 'postgresql://root@localhost/postgres?host=/var/run/postgresql';
const db = 'parzen_diag_' + randomBytes(4).toString('hex');
const ac = new pg.Client({ connectionString: admin }); await ac.connect(); await ac.query(`CREATE DATABASE ${db}`); await ac.query(`ALTER DATABASE ${db} SET track_functions = 'all'`);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function lc(study, ph) {
  let t = performance.now(); const c0 = process.cpuUsage();
  const tr = await study.ask(); let t1 = performance.now(); ph.ask.push(t1 - t);
  const x = tr.suggestFloat('x', -5, 5); const y = tr.suggestFloat('y', -5, 5); let t2 = performance.now(); ph.sug.push(t2 - t1);
  await study.tell(tr, x * x + y * y); let t3 = performance.now(); ph.tell.push(t3 - t2);
  const c = process.cpuUsage(c0); ph.cpu.push((c.user + c.system) / 1000); ph.all.push(t3 - t);
}
const studies = [];
for (const n of sizes) {
  const u = new URL(admin); u.pathname = '/' + db; u.searchParams.set('schema', 's' + n);
  const st = await PostgresStorage.open(u.toString());
  const s = await createStudy({ storage: st, name: 's', sampler: new RandomSampler({ seed: 1 }) });
  await lc(s, { ask: [], sug: [], tell: [], cpu: [], all: [] });
  const c = new pg.Client({ connectionString: admin.replace('/postgres?', '/' + db + '?'), options: `-c search_path=s${n}` }); await c.connect();
  const { rows } = await c.query('SELECT p.name, p.distribution_id AS d, t.study_id AS study FROM trial_params p JOIN trials t USING (trial_id)');
  const dist = Object.fromEntries(rows.map((r) => [r.name, r.d]));
  await c.query(`WITH g AS (SELECT k, random() * 10 - 5 AS x, random() * 10 - 5 AS y FROM generate_series(1, $2::int - 1) AS k),
       ins AS (INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete)
               SELECT $1, k, 'COMPLETE', x * x + y * y, 0, 0 FROM g RETURNING trial_id, number)
       INSERT INTO trial_params (trial_id, name, internal, distribution_id)
       SELECT ins.trial_id, v.name, v.internal, v.d FROM ins JOIN g ON g.k = ins.number,
         LATERAL (VALUES ('x', g.x, $3::bigint), ('y', g.y, $4::bigint)) AS v(name, internal, d)`, [rows[0].study, n, dist.x, dist.y]);
  await c.query('UPDATE studies SET next_trial_number = $1', [n]); await c.query('ANALYZE'); await c.end(); await st.close();
  const st2 = await PostgresStorage.open(u.toString(), { poolSize: 2 });
  const s2 = await createStudy({ storage: st2, name: 's', sampler: new RandomSampler({ seed: 2 }), loadIfExists: true });
  await s2.getTrials(); await lc(s2, { ask: [], sug: [], tell: [], cpu: [], all: [] });
  studies.push({ n, kind: 'pg', s: s2, st: st2, ph: { ask: [], sug: [], tell: [], cpu: [], all: [] } });
  if (!kinds.includes('mem')) continue;
  const ms = new InMemoryStorage();
  const s3 = await createStudy({ storage: ms, name: 's', sampler: new RandomSampler({ seed: 4 }) });
  const d = float(-5, 5);
  for (let k = 0; k < n; k++) { const t = await ms.createTrial(s3.studyId, { params: { x: { distribution: d, internal: 1 }, y: { distribution: d, internal: 2 } } }); await ms.finishTrial(t.trialId, { state: 'COMPLETE', value: 5 }); }
  studies.push({ n, kind: 'mem', s: s3, ph: { ask: [], sug: [], tell: [], cpu: [], all: [] } });
}
// Backends send their function counts to the shared statistics about once a second when idle, and all of them when
// they exit: the counts before the timed loop are read once two reads a second apart agree, those after it once the
// stores closed and their backends are gone.
const fread = async () => { const c = new pg.Client({ connectionString: admin.replace('/postgres?', '/' + db + '?') }); await c.connect(); const { rows } = await c.query("SELECT schemaname, funcname, calls, total_time, self_time FROM pg_stat_user_functions"); const { rows: [{ n }] } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'); await c.end(); return { n, stats: new Map(rows.map(r => [r.schemaname + '.' + r.funcname, r])) }; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const same = (a, b) => a.size === b.size && [...a].every(([k, r]) => b.get(k)?.calls === r.calls);
async function fsettled() { let a = (await fread()).stats; for (let k = 0; k < 20; k++) { await sleep(1000); const b = (await fread()).stats; if (same(a, b)) return b; a = b; } throw new Error('function statistics still moving after 20 s'); }
async function fafterClose() { for (let k = 0; k < 100; k++) { const r = await fread(); if (r.n === 0) return r.stats; await sleep(100); } throw new Error('store backends still connected 10 s after close'); }
const f0 = await fsettled();
timing = true;
for (let i = 0; i < N; i++) for (const x of studies) await lc(x.s, x.ph);
timing = false;
for (const x of studies) if (x.st) await x.st.close();
const f1 = await fafterClose();
for (const [k, r] of f1) { const b = f0.get(k) ?? { calls: 0, total_time: 0, self_time: 0 }; const dc = r.calls - b.calls; if (dc > 0) console.log(`${k}: calls ${dc} total ${((r.total_time - b.total_time) / dc).toFixed(3)} ms/call self ${((r.self_time - b.self_time) / dc).toFixed(3)}`); }
const la = (await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`load ${la}; medians of ${N} (ms): ask suggest2 tell | total, process cpu`);
if (sizes.length === 1 && updateMs.length > 0) console.log(`StudyTrialCache.update: median ${(med(updateMs) * 1000).toFixed(1)} µs, mean ${(updateMs.reduce((a, b) => a + b, 0) * 1000 / updateMs.length).toFixed(1)} µs (${updateMs.length} calls; one size per run, else the sizes mix)`);
for (const x of studies) console.log(`${x.kind} ${x.n}: ${['ask', 'sug', 'tell'].map((k) => med(x.ph[k]).toFixed(3)).join(' ')} | ${med(x.ph.all).toFixed(3)} cpu ${med(x.ph.cpu).toFixed(3)}`);
await ac.query(`DROP DATABASE ${db} WITH (FORCE)`); await ac.end();
