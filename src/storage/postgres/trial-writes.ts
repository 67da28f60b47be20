import type pg from 'pg';
import type { TrialState } from '../../core/frozen.js';
import { checkWritable, studyNotFound, trialLost, trialNotFound } from '../checks.js';
import { decodeValue, type EncodedValue } from '../values.js';

/**
 * Trial checks for the transactions that still take several statements (tracking, study attributes). Every
 * `…InTx` function must run inside the caller's `PgConnection.write` transaction. The trial's own writes are one
 * statement each: trial-calls.ts.
 */

export interface PgTrialHead {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
  /** The create's token of a RUNNING trial created by some process (migration 4); null for claimed or older trials. */
  readonly ownerToken: string | null;
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
    `SELECT trial_id AS "trialId", study_id AS "studyId", number, state, owner_token AS "ownerToken" FROM trials WHERE trial_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [trialId],
  );
  if (rows.length === 0) throw trialNotFound(trialId);
  return rows[0];
}

/**
 * The trial, locked and checked to be still writable (TRIAL_FINISHED otherwise) and, when `owned` gives the token
 * this process created it with, still that trial (TRIAL_LOST otherwise: see trial-ownership.ts).
 */
export async function writableInTx(
  c: pg.PoolClient,
  trialId: number,
  action: string,
  owned?: { readonly owner: string | null; readonly label: string },
): Promise<PgTrialHead> {
  const { rows } = await c.query<PgTrialHead>(
    'SELECT trial_id AS "trialId", study_id AS "studyId", number, state, owner_token AS "ownerToken" FROM trials WHERE trial_id = $1 FOR UPDATE',
    [trialId],
  );
  const t = rows[0];
  if (owned !== undefined && owned.owner !== null && t?.ownerToken !== owned.owner) throw trialLost(trialId, owned.label);
  if (t === undefined) throw trialNotFound(trialId);
  checkWritable(t, action);
  return t;
}

