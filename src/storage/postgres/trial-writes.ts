import type pg from 'pg';
import type { TrialState } from '../../core/frozen.js';
import { checkWritable, studyNotFound, trialNotFound } from '../checks.js';
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

