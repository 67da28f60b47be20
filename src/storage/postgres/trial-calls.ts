import type pg from 'pg';
import type { FrozenTrial } from '../../core/frozen.js';
import { checkActiveQuota, checkWritable, paramAlreadySet, studyNotFound, trialLost, trialNotFound, type CheckedFinish } from '../checks.js';
import type { TrialAttrInput, TrialParamInput, TrialTemplate } from '../storage.js';
import { storedDistribution } from '../stored-distribution.js';
import { encodeAttr } from '../values.js';
import { prepared, runPrepared, runPreparedArrays } from './prepared.js';
import type { BulkRow, LeanRead, TrialJson } from './trial-loader.js';
import { StorageError } from '../../errors.js';
import { toDouble } from './trial-writes.js';

/**
 * The trial's writes, each one statement (a function from migration 2, trial-functions.ts) on one pooled client
 * outside any transaction, so each costs one round trip and commits on its own. `retry` is true when the same
 * call is run again after a lost connection: the function then recognises its own `token` if the first run landed.
 */

/** Params as the functions take them: every param with its distribution's hash, and the distributions to insert. */
export interface ParamArrays {
  readonly names: string[];
  readonly internals: number[];
  readonly hashes: string[];
  readonly newHashes: string[];
  readonly newJson: string[];
}

/**
 * `stored` holds the hashes of the study's distributions committed before (undefined: the study is not known, so
 * every distribution is sent); those are not sent again.
 */
export function paramArrays(params: readonly TrialParamInput[], stored: ReadonlySet<string> | undefined): ParamArrays {
  const out: ParamArrays = { names: [], internals: [], hashes: [], newHashes: [], newJson: [] };
  for (const p of params) {
    const d = storedDistribution(p.distribution);
    out.names.push(p.name);
    out.internals.push(p.internal);
    out.hashes.push(d.hash);
    if (stored?.has(d.hash) !== true && !out.newHashes.includes(d.hash)) {
      out.newHashes.push(d.hash);
      out.newJson.push(d.json);
    }
  }
  return out;
}

export interface AttrArrays {
  readonly kinds: string[];
  readonly keys: string[];
  readonly json: string[];
}

/** Attributes encoded (checked) for the functions; a key given twice keeps its last value. */
export function attrArrays(attrs: readonly TrialAttrInput[], label: string): AttrArrays {
  const last = new Map<string, TrialAttrInput>();
  for (const a of attrs) last.set(`${a.kind}\u0000${a.key}`, a);
  const out: AttrArrays = { kinds: [], keys: [], json: [] };
  for (const a of last.values()) {
    out.kinds.push(a.kind);
    out.keys.push(a.key);
    out.json.push(encodeAttr(a.key, a.value, `${label} ${a.kind}`));
  }
  return out;
}

/** What `parzen_create_trial` decided; the caller builds the snapshot from what it sent. */
export interface Created {
  readonly trialId: number;
  readonly number: number;
  readonly studyName: string;
}

const CREATE_TRIAL = prepared(
  'create_trial',
  'SELECT * FROM parzen_create_trial($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)',
);

export async function createTrialCall(
  c: pg.PoolClient,
  call: { studyId: number; template: TrialTemplate; now: number; leaseMs: number; params: ParamArrays; attrs: AttrArrays; token: string; retry: boolean },
): Promise<Created> {
  const { studyId, template: t, params: p, attrs: a } = call;
  const state = t.state ?? 'RUNNING';
  const { rows } = await runPrepared<{ status: string; study_name: string; trial_number: number; n_active: number; new_trial: number }>(
    c,
    CREATE_TRIAL,
    [
      studyId, state, call.now, t.worker ?? null, t.seed ?? null, t.codeVersion ?? null, t.budget ? JSON.stringify(t.budget) : null, t.retryOf ?? null,
      call.leaseMs, t.maxActive ?? null, p.names, p.internals, p.hashes, p.newHashes, p.newJson, a.kinds, a.keys, a.json, call.token, call.retry,
    ],
  );
  const r = rows[0];
  if (r.status === 'no_study') throw studyNotFound(studyId);
  if (r.status === 'full') checkActiveQuota(r.study_name, t, r.n_active);
  return { trialId: r.new_trial, number: r.trial_number, studyName: r.study_name };
}

/**
 * The trial a write names: its id, and for a trial this process created, the create's token (`owner`, migration 4),
 * so a trial the server lost in a crash is not mistaken for another worker's that took its id. null: not checked.
 */
export interface TrialRef {
  readonly trialId: number;
  readonly owner: string | null;
  /** How errors name the trial ("trial 12"). */
  readonly label: string;
}

/** Refusals the trial functions return, as the typed errors the store always threw. */
function refuse(r: { status: string; trial_number: number; trial_state: string }, ref: TrialRef, action: string): void {
  const { trialId } = ref;
  if (r.status === 'lost' || (r.status === 'no_trial' && ref.owner !== null)) throw trialLost(trialId, ref.label);
  if (r.status === 'no_trial') throw trialNotFound(trialId);
  if (r.status === 'finished') checkWritable({ trialId, number: r.trial_number, state: r.trial_state as FrozenTrial['state'] }, action);
}

const TRIAL_WRITES = prepared('trial_writes', 'SELECT * FROM parzen_trial_writes($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)');

/** Params and attributes in one statement, all or none; returns the trial's number. */
export async function trialWritesCall(
  c: pg.PoolClient,
  call: { ref: TrialRef; params: ParamArrays; attrs: AttrArrays; action: string; token: string; retry: boolean },
): Promise<number> {
  const { ref, params: p, attrs: a } = call;
  const { rows } = await runPrepared<{ status: string; trial_number: number; trial_state: string; param_name: string | null }>(
    c,
    TRIAL_WRITES,
    [ref.trialId, p.names, p.internals, p.hashes, p.newHashes, p.newJson, a.kinds, a.keys, a.json, call.token, call.retry, ref.owner],
  );
  const r = rows[0];
  refuse(r, ref, call.action);
  if (r.status === 'param_set') throw paramAlreadySet(`trial ${r.trial_number}`, r.param_name ?? '');
  return r.trial_number;
}

const FINISH_TRIAL = prepared(
  'finish_trial',
  'SELECT * FROM parzen_finish_trial($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)',
);

/** Finishes the trial in one statement, writing `params` and `attrs` first, and returns it as the server now holds it. */
export async function finishTrialCall(
  c: pg.PoolClient,
  call: { ref: TrialRef; finish: CheckedFinish; params: ParamArrays; attrs: AttrArrays; now: number; token: string; retry: boolean },
): Promise<TrialJson> {
  const { ref, finish, params: p, attrs: a } = call;
  const value = finish.value === undefined || finish.value === null ? null : toDouble(finish.value);
  // Rows as arrays (status, trial_number, trial_state, param_name, trial): pg then builds no object per row.
  const { rows } = await runPreparedArrays<[string, number, string, string | null, TrialJson | null]>(c, FINISH_TRIAL, [
    ref.trialId, finish.state, value, finish.value === undefined, call.now, finish.error?.message ?? null, finish.error?.stack ?? null,
    finish.error?.code ?? null, p.names, p.internals, p.hashes, p.newHashes, p.newJson, a.kinds, a.keys, a.json, call.token, call.retry, ref.owner,
  ]);
  const [status, trialNumber, trialState, paramName, trial] = rows[0];
  refuse({ status, trial_number: trialNumber, trial_state: trialState }, ref, 'finish');
  if (status === 'param_set') throw paramAlreadySet(`trial ${trialNumber}`, paramName ?? '');
  return trial as TrialJson;
}

export const NO_PARAMS: ParamArrays = Object.freeze({ names: [], internals: [], hashes: [], newHashes: [], newJson: [] });
export const NO_ATTRS: AttrArrays = Object.freeze({ kinds: [], keys: [], json: [] });

/** `now() + leaseMs` on the server's clock, as SQL taking the milliseconds as parameter `$n`. */
const leaseUntil = (n: number): string => `now() + make_interval(secs => $${n}::float8 / 1000)`;

/**
 * Records the heartbeat and renews the trial's lease (a WAITING trial holds none), in one UPDATE; idempotent. Its
 * commit is asynchronous (`set_config` in the FROM list, local to the statement's transaction): a renewal lost in
 * a server crash leaves the one before it, at most a heartbeat interval older, and a lease outlasts several.
 */
const HEARTBEAT = prepared(
  'heartbeat',
  `UPDATE trials SET heartbeat = $2, lease_expires = CASE WHEN state = 'RUNNING' THEN ${leaseUntil(3)} END
   FROM set_config('synchronous_commit', 'off', true)
   WHERE trial_id = $1 AND state IN ('RUNNING', 'WAITING') AND ($4::text IS NULL OR owner_token = $4)`,
);

export async function heartbeatCall(c: pg.PoolClient, ref: TrialRef, now: number, leaseMs: number): Promise<void> {
  const { trialId } = ref;
  const { rowCount } = await runPrepared(c, HEARTBEAT, [trialId, now, leaseMs, ref.owner]);
  if (rowCount === 1) return;
  const { rows } = await c.query<{ number: number; state: FrozenTrial['state']; owner: string | null }>(
    'SELECT number, state, owner_token AS owner FROM trials WHERE trial_id = $1',
    [trialId],
  );
  if (ref.owner !== null && (rows.length === 0 || rows[0].owner !== ref.owner)) throw trialLost(trialId, ref.label);
  if (rows.length === 0) throw trialNotFound(trialId);
  checkWritable({ trialId, ...rows[0] }, 'record a heartbeat for');
}

/**
 * Fails every RUNNING trial of the study whose lease ran out on the server's clock (`lease_expires < now()`), and
 * in the same transaction enqueues a WAITING retry of each that has fewer than `retries` retries before it
 * (migration 5); returns the failed trials' ids, undefined when there is no such study. Concurrent reapers cannot
 * both fail one trial: the row lock makes the second re-check `state = 'RUNNING'` and skip it. Running it again
 * after a lost connection fails and enqueues nothing twice (the trials are FAIL by then).
 */
const REAP_EXPIRED = prepared('reap_expired', 'SELECT study_found AS found, ids FROM parzen_reap_expired($1, $2, $3, $4)');

export async function reapExpired(c: pg.PoolClient, studyId: number, now: number, reaper: string, retries = 0): Promise<number[] | undefined> {
  const { rows } = await runPrepared<{ found: boolean; ids: string[] }>(c, REAP_EXPIRED, [studyId, now, reaper, retries]);
  return rows[0].found ? rows[0].ids.map(Number) : undefined;
}

/** {@link reapExpired} inside a caller's transaction (tests fail trials and check in one transaction). */
export async function reapExpiredInTx(c: pg.PoolClient, studyId: number, now: number, reaper: string): Promise<number[]> {
  return (await reapExpired(c, studyId, now, reaper)) ?? [];
}

const CLAIM_WAITING = prepared(
  'claim_waiting',
  'SELECT c.status, c.study_name, c.n_active, parzen_trial_json(c.claimed) AS j FROM parzen_claim_waiting($1, $2, $3, $4, $5, $6) c',
);

/**
 * Moves the lowest-numbered WAITING trial that no other transaction is claiming to RUNNING (`FOR UPDATE SKIP
 * LOCKED`: claimers on many hosts never wait on each other), in one statement returning it as it was before the
 * claim (params and attributes as enqueued); undefined when none waits. Throws STUDY_NOT_FOUND, and STUDY_FULL
 * when `maxActive` is given and the study holds that many COMPLETE + RUNNING trials (migration 5).
 */
export async function claimWaitingCall(
  c: pg.PoolClient,
  call: { studyId: number; worker: string; now: number; leaseMs: number; token: string; retry: boolean; maxActive?: number },
): Promise<TrialJson | undefined> {
  if (call.retry) {
    const { rows } = await c.query<{ j: TrialJson }>('SELECT parzen_trial_json(trial_id) AS j FROM trials WHERE study_id = $1 AND write_token = $2', [
      call.studyId, call.token,
    ]);
    if (rows.length > 0) return rows[0].j;
  }
  const { rows } = await runPrepared<{ status: string; study_name: string; n_active: number; j: TrialJson | null }>(c, CLAIM_WAITING, [
    call.studyId, call.worker, call.now, call.leaseMs, call.token, call.maxActive ?? null,
  ]);
  const r = rows[0];
  if (r.status === 'no_study') throw studyNotFound(call.studyId);
  if (r.status === 'full') checkActiveQuota(r.study_name, { maxActive: call.maxActive }, r.n_active);
  const j = r.j;
  // The statement's snapshot predates its own update: the claim's columns are what it just set.
  return j === null ? undefined : { ...j, state: 'RUNNING', worker: call.worker, datetimeStart: call.now };
}

const ASK_TRIAL = prepared('ask_trial', 'SELECT * FROM parzen_ask_trial($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)');

/** An ask's row: its outcome, then one trial of the read (BulkRow's columns). */
type AskRow = BulkRow & {
  readonly ask_status: string;
  readonly ask_n_active: number | null;
  readonly ask_trial: number | null;
  readonly ask_claimed: boolean;
  readonly ask_reaped: number[];
};

/**
 * What `parzen_ask_trial` or `parzen_ask_lean` decided, and the read that followed it in its transaction: the
 * 30-column rows (`rows`), or the lean ask's (`lean`).
 */
export interface Asked {
  readonly trialId: number;
  readonly claimed: boolean;
  /** Ids of the trials the ask's lease reap failed (they are among the trials read, FAIL). */
  readonly reapedIds: readonly number[];
  readonly rows: readonly BulkRow[] | undefined;
  readonly lean: LeanRead | undefined;
}

const ASK_LEAN = prepared('ask_lean', 'SELECT * FROM parzen_ask_lean($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)');
/**
 * The lean ask's row (rows come as arrays: pg then builds no object per row), its columns in order: ask_status, ask_n_active, ask_trial, ask_claimed, ask_reaped, name, maxId,
 * ask_number, trial.
 */
type LeanRow = [string, number | null, number | null, boolean, string[] | null, string | null, number | null, number | null, TrialJson | null];

/**
 * With `reap`, fails the study's trials whose lease expired (enqueueing retries), then claims an enqueued trial (for
 * `claimAs`, when given) or creates a RUNNING one, then reads the study's trials changed since the cursor, in one
 * statement (migration 7). Throws STUDY_NOT_FOUND, and STUDY_FULL under `maxActive` as the claim and
 * the create do.
 */
export async function askTrialCall(
  c: pg.PoolClient,
  call: {
    studyId: number; claimAs: string | undefined; worker: string | null; template: TrialTemplate; now: number; leaseMs: number; token: string; retry: boolean;
    read: { readonly afterTrialId: number; readonly alsoIds: readonly number[]; readonly heldIds: readonly number[] };
    reap: { readonly reaper: string; readonly retries: number } | undefined;
    /** The template's budget as sent (`JSON.stringify`), null when none. */
    budgetJson: string | null;
    /** `parzen_ask_lean` (migration 11) instead of `parzen_ask_trial`. */
    lean: boolean;
  },
): Promise<Asked> {
  const { template: t, read } = call;
  const values = [
    call.studyId, call.claimAs ?? null, call.worker, call.now, t.seed ?? null, t.codeVersion ?? null, call.budgetJson, t.retryOf ?? null,
    call.leaseMs, t.maxActive ?? null, call.token, call.retry, read.afterTrialId, read.alsoIds, read.heldIds, call.reap?.reaper ?? null,
    call.reap?.retries ?? 0,
  ];
  if (call.lean) return askLean(c, call.studyId, t, values);
  const { rows } = await runPrepared<AskRow>(c, ASK_TRIAL, values);
  const r = rows[0];
  if (r === undefined || r.ask_status === 'no_study') throw studyNotFound(call.studyId);
  if (r.ask_status === 'full') checkActiveQuota(r.name, t, r.ask_n_active ?? 0);
  if (r.ask_trial === null) throw new StorageError(`ask of study id ${call.studyId}: the server returned no trial (status ${r.ask_status})`);
  return { trialId: r.ask_trial, claimed: r.ask_claimed, reapedIds: r.ask_reaped.map(Number), rows, lean: undefined };
}

async function askLean(c: pg.PoolClient, studyId: number, t: TrialTemplate, values: unknown[]): Promise<Asked> {
  const { rows } = await runPreparedArrays<LeanRow>(c, ASK_LEAN, values);
  const r = rows[0] as LeanRow | undefined;
  if (r === undefined || r[0] === 'no_study') throw studyNotFound(studyId);
  if (r[0] === 'full') checkActiveQuota(r[5] ?? '', t, r[1] ?? 0);
  const trialId = r[2];
  if (trialId === null) throw new StorageError(`ask of study id ${studyId}: the server returned no trial (status ${r[0]})`);
  if (r[5] === null) throw new StorageError(`ask of study id ${studyId}: the server returned no study name`);
  const trials: TrialJson[] = [];
  for (const row of rows) if (row[8] !== null) trials.push(row[8]);
  const created = r[7] === null ? undefined : { trialId, number: r[7] };
  return {
    trialId,
    claimed: r[3],
    reapedIds: r[4] === null || r[4].length === 0 ? [] : r[4].map(Number),
    rows: undefined,
    lean: { name: r[5], maxId: r[6], created, trials },
  };
}
