import type pg from 'pg';
import type { TrialState } from '../../core/frozen.js';
import { checkActiveQuota, checkParam, checkTemplate, checkWritable, paramAlreadySet, studyNotFound, trialNotFound, type CheckedFinish } from '../checks.js';
import type { TrialAttrInput, TrialParamInput, TrialTemplate } from '../storage.js';
import { storedDistribution } from '../stored-distribution.js';
import { decodeValue, encodeAttr, type EncodedValue } from '../values.js';

/**
 * The trial writes as plain parameterised SQL on one pooled client. Every `…InTx` function must run inside the
 * caller's `PgConnection.write` transaction. A write first locks its trial row (`FOR UPDATE`), so a check and the
 * write it allows cannot be split by another host finishing the trial in between.
 */

export interface PgTrialHead {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
}

/** A stored value: PostgreSQL's double precision holds ±Infinity itself. */
export const toDouble = (v: EncodedValue): number => decodeValue(v.value, v.valueType) as number;

/** The study's name; throws STUDY_NOT_FOUND. */
export async function studyNameInTx(c: pg.PoolClient, studyId: number): Promise<string> {
  const { rows } = await c.query<{ name: string }>('SELECT name FROM studies WHERE study_id = $1', [studyId]);
  if (rows.length === 0) throw studyNotFound(studyId);
  return rows[0].name;
}

/** The trial, locked for this transaction unless `lock` is false (in a read-only one); throws TRIAL_NOT_FOUND. */
export async function trialHeadInTx(c: pg.PoolClient, trialId: number, lock = true): Promise<PgTrialHead> {
  const { rows } = await c.query<PgTrialHead>(
    `SELECT trial_id AS "trialId", study_id AS "studyId", number, state FROM trials WHERE trial_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [trialId],
  );
  if (rows.length === 0) throw trialNotFound(trialId);
  return rows[0];
}

/** The trial, locked and checked to be still writable (TRIAL_FINISHED otherwise). */
export async function writableInTx(c: pg.PoolClient, trialId: number, action: string): Promise<PgTrialHead> {
  const t = await trialHeadInTx(c, trialId);
  checkWritable(t, action);
  return t;
}

/**
 * Inserts a trial with its study's next number. The number comes from one UPDATE of the study row, which holds
 * that row's lock until commit: numbers are dense and unique across hosts, and trials of one study are created
 * one after another, so their ids rise in commit order (what the trial cache's "id above the last read" needs).
 */
/** `now() + leaseMs` on the server's clock, as SQL taking the milliseconds as parameter `$n`. */
const leaseUntil = (n: number): string => `now() + make_interval(secs => $${n}::float8 / 1000)`;

export async function createTrialInTx(c: pg.PoolClient, studyId: number, template: TrialTemplate, now: number, leaseMs: number): Promise<number> {
  checkTemplate(template);
  const { rows } = await c.query<{ number: number; name: string }>(
    'UPDATE studies SET next_trial_number = next_trial_number + 1 WHERE study_id = $1 RETURNING next_trial_number - 1 AS number, name',
    [studyId],
  );
  if (rows.length === 0) throw studyNotFound(studyId);
  const { number, name } = rows[0];
  if (template.maxActive !== undefined) {
    // A new statement, so (READ COMMITTED) it sees every trial committed before this transaction took the study row.
    const active = await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM trials WHERE study_id = $1 AND state IN ('COMPLETE', 'RUNNING')", [studyId]);
    checkActiveQuota(name, template, active.rows[0].n);
  }
  const label = `new trial ${number} of study "${name}"`;
  const params = Object.entries(template.params ?? {}).map(([n, v]) => {
    checkParam(label, n, v.distribution, v.internal);
    return { name: n, distribution: v.distribution, internal: v.internal };
  });
  const attrs = [
    ...Object.entries(template.userAttrs ?? {}).map(([key, v]) => ({ kind: 'user', key, json: encodeAttr(key, v, label) })),
    ...Object.entries(template.systemAttrs ?? {}).map(([key, v]) => ({ kind: 'system', key, json: encodeAttr(key, v, label) })),
  ];
  const state = template.state ?? 'RUNNING';
  const inserted = await c.query<{ trialId: number }>(
    `INSERT INTO trials (study_id, number, state, datetime_start, worker, seed, code_version, budget_json, retry_of, lease_expires)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $3 = 'RUNNING' THEN ${leaseUntil(10)} END) RETURNING trial_id AS "trialId"`,
    [
      studyId, number, state, state === 'RUNNING' ? now : null, template.worker ?? null, template.seed ?? null, template.codeVersion ?? null,
      template.budget ? JSON.stringify(template.budget) : null, template.retryOf ?? null, leaseMs,
    ],
  );
  const trialId = inserted.rows[0].trialId;
  await insertParamsInTx(c, { studyId, trialId, label }, params);
  if (attrs.length > 0) {
    await c.query(
      `INSERT INTO trial_attrs (trial_id, kind, key, value_json) SELECT $1, k, a, j FROM unnest($2::text[], $3::text[], $4::text[]) AS x(k, a, j)`,
      [trialId, attrs.map((a) => a.kind), attrs.map((a) => a.key), attrs.map((a) => a.json)],
    );
  }
  return trialId;
}

/**
 * Inserts checked parameters in at most two statements however many there are: the study's distributions not yet
 * stored (`ON CONFLICT DO NOTHING` waits for, then skips, one another host is inserting; skipped entirely when
 * `stored` already holds every `studyId:hash`), then every parameter joined to its distribution's row by hash. A name the
 * trial already has is skipped by the insert and then reported as PARAM_ALREADY_SET (the caller's transaction
 * rolls back whatever else it inserted).
 */
export async function insertParamsInTx(
  c: pg.PoolClient,
  ids: { readonly studyId: number; readonly trialId: number; readonly label: string },
  params: readonly TrialParamInput[],
  stored: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  if (params.length === 0) return [];
  const { studyId, trialId } = ids;
  const hashed = params.map((p) => storedDistribution(p.distribution));
  const unique = new Map(hashed.filter((h) => !stored.has(`${studyId}:${h.hash}`)).map((h) => [h.hash, h.json]));
  if (unique.size > 0) {
    await c.query(
      `INSERT INTO distributions (study_id, hash, json) SELECT $1, h, j FROM unnest($2::text[], $3::text[]) AS x(h, j)
       ON CONFLICT (study_id, hash) DO NOTHING`,
      [studyId, [...unique.keys()], [...unique.values()]],
    );
  }
  const res = await c.query(
    `INSERT INTO trial_params (trial_id, name, internal, distribution_id)
     SELECT $1, x.n, x.i, d.distribution_id FROM unnest($2::text[], $3::float8[], $4::text[]) AS x(n, i, h)
     JOIN distributions d ON d.study_id = $5 AND d.hash = x.h
     ON CONFLICT (trial_id, name) DO NOTHING`,
    [trialId, params.map((p) => p.name), params.map((p) => p.internal), hashed.map((h) => h.hash), studyId],
  );
  if (res.rowCount !== params.length) {
    const { rows } = await c.query<{ name: string }>(
      'SELECT name FROM trial_params WHERE trial_id = $1 AND name = ANY($2::text[]) ORDER BY name LIMIT 1',
      [trialId, params.map((p) => p.name)],
    );
    if (rows.length > 0) throw paramAlreadySet(ids.label, rows[0].name);
    throw new Error(`inserted ${res.rowCount ?? 0} of ${params.length} parameters: a distribution row is missing`);
  }
  return hashed.map((h) => `${studyId}:${h.hash}`);
}

/** Several params, all or none, each checked as setTrialParam checks one; returns their distributions' `studyId:hash` keys. */
export async function setParamsInTx(c: pg.PoolClient, trialId: number, params: readonly TrialParamInput[], stored?: ReadonlySet<string>): Promise<string[]> {
  const head = await writableInTx(c, trialId, `set parameter "${params[0]?.name ?? ''}" on`);
  const label = `trial ${head.number}`;
  const names = new Set<string>();
  for (const p of params) {
    checkParam(label, p.name, p.distribution, p.internal);
    if (names.has(p.name)) throw paramAlreadySet(label, p.name);
    names.add(p.name);
  }
  return insertParamsInTx(c, { studyId: head.studyId, trialId, label }, params, stored);
}

/** Upserts attributes in one statement; a key given twice keeps its last value. */
export async function setTrialAttrsInTx(c: pg.PoolClient, trialId: number, attrs: readonly TrialAttrInput[]): Promise<void> {
  if (attrs.length === 0) return;
  const t = await writableInTx(c, trialId, `set attribute "${attrs[0].key}" on`);
  const last = new Map<string, { kind: string; key: string; json: string }>();
  for (const a of attrs) last.set(`${a.kind}\u0000${a.key}`, { kind: a.kind, key: a.key, json: encodeAttr(a.key, a.value, `trial ${t.number} ${a.kind}`) });
  const rows = [...last.values()];
  await c.query(
    `INSERT INTO trial_attrs (trial_id, kind, key, value_json) SELECT $1, k, a, j FROM unnest($2::text[], $3::text[], $4::text[]) AS x(k, a, j)
     ON CONFLICT (trial_id, kind, key) DO UPDATE SET value_json = excluded.value_json`,
    [trialId, rows.map((r) => r.kind), rows.map((r) => r.key), rows.map((r) => r.json)],
  );
}

/** Records the heartbeat and renews the trial's lease (a WAITING trial holds none). */
export async function heartbeatInTx(c: pg.PoolClient, trialId: number, now: number, leaseMs: number): Promise<void> {
  await writableInTx(c, trialId, 'record a heartbeat for');
  await c.query(`UPDATE trials SET heartbeat = $2, lease_expires = CASE WHEN state = 'RUNNING' THEN ${leaseUntil(3)} END WHERE trial_id = $1`, [trialId, now, leaseMs]);
}

/**
 * Fails, in one UPDATE, every RUNNING trial of the study whose lease ran out on the server's clock (`lease_expires <
 * now()`), and returns their ids. Concurrent reapers cannot both fail one trial: the row lock makes the second
 * re-check `state = 'RUNNING'` and skip it.
 */
export async function reapExpiredInTx(c: pg.PoolClient, studyId: number, now: number, reaper: string): Promise<number[]> {
  const { rows } = await c.query<{ trialId: number }>(
    `UPDATE trials SET state = 'FAIL', datetime_complete = $2, error_code = 'WORKER', error_stack = NULL,
       error_message = 'orphaned: the lease of ' || COALESCE(worker, 'its worker') || ' expired at ' || lease_expires::text ||
         ' (server time) without being renewed; marked failed by ' || $3,
       lease_expires = NULL
     WHERE study_id = $1 AND state = 'RUNNING' AND lease_expires < now()
     RETURNING trial_id AS "trialId"`,
    [studyId, now, reaper],
  );
  return rows.map((r) => r.trialId);
}

/** Writes the final state (the trial is locked and writable); a PRUNED trial without a value takes its last intermediate value. */
export async function finishTrialInTx(c: pg.PoolClient, trialId: number, finish: CheckedFinish, now: number): Promise<void> {
  const given = finish.value === undefined ? null : finish.value === null ? null : toDouble(finish.value);
  const lastValue = finish.value === undefined
    ? 'COALESCE($3::float8, (SELECT v.value FROM trial_intermediate_values v WHERE v.trial_id = $1 ORDER BY v.step DESC LIMIT 1))'
    : '$3::float8';
  await c.query(
    `UPDATE trials SET state = $2, value = ${lastValue}, datetime_complete = $4, datetime_start = COALESCE(datetime_start, $4),
       error_message = $5, error_stack = $6, error_code = $7, lease_expires = NULL
     WHERE trial_id = $1`,
    [trialId, finish.state, given, now, finish.error?.message ?? null, finish.error?.stack ?? null, finish.error?.code ?? null],
  );
}

/**
 * Moves the lowest-numbered WAITING trial that no other transaction is claiming to RUNNING (`FOR UPDATE SKIP
 * LOCKED`: claimers on many hosts never wait on each other); returns its id, or undefined when none waits.
 */
export async function claimWaitingInTx(c: pg.PoolClient, studyId: number, worker: string, now: number, leaseMs: number): Promise<number | undefined> {
  await studyNameInTx(c, studyId);
  const { rows } = await c.query<{ trialId: number }>(
    `UPDATE trials SET state = 'RUNNING', worker = $2, datetime_start = $3, lease_expires = ${leaseUntil(4)}
     WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING trial_id AS "trialId"`,
    [studyId, worker, now, leaseMs],
  );
  return rows[0]?.trialId;
}
