import { and, asc, eq } from 'drizzle-orm';
import type pg from 'pg';
import type { Attrs, FrozenRun, LogLine, MetricPoint } from '../../core/frozen.js';
import { runNotFound } from '../checks.js';
import { freezeRun } from '../snapshot.js';
import type { MetricOwner } from '../storage.js';
import { runFinished, type CheckedLog, type CheckedMetric, type CheckedRun, type CheckedRunFinish } from '../tracking-checks.js';
import { decodeJson } from '../values.js';
import type { PgDb } from './connection.js';
import { runs, trialLogs, trialMetrics } from './schema.js';
import { toDouble, trialHeadInTx, writableInTx } from './trial-writes.js';

/** Named metric series, logs and full-training runs. `…InTx` functions run inside the caller's transaction. */

const ownerColumns = (owner: MetricOwner): { trialId: number | null; runId: number | null } =>
  'trialId' in owner ? { trialId: owner.trialId, runId: null } : { trialId: null, runId: owner.runId };

const ownerWhere = (table: typeof trialMetrics | typeof trialLogs, owner: MetricOwner) =>
  'trialId' in owner ? eq(table.trialId, owner.trialId) : eq(table.runId, owner.runId);

/** Throws unless the owner exists and, when `action` is given, can still be written to (locking it for the write). */
export async function checkOwnerInTx(
  db: PgDb,
  client: pg.PoolClient,
  owner: MetricOwner,
  action?: string,
  owned?: { readonly owner: string | null; readonly label: string },
): Promise<void> {
  if ('trialId' in owner) {
    if (action === undefined) await trialHeadInTx(client, owner.trialId, false);
    else await writableInTx(client, owner.trialId, action, owned);
    return;
  }
  const q = db.select({ state: runs.state }).from(runs).where(eq(runs.runId, owner.runId));
  const [run] = action === undefined ? await q : await q.for('update');
  if (!run) throw runNotFound(owner.runId);
  if (action !== undefined && run.state !== 'RUNNING') throw runFinished(owner.runId, run.state);
}

/** All points in one multi-row INSERT per 1,000 (pg binds up to 65,535 parameters per statement). */
export async function appendMetricsInTx(db: PgDb, owner: MetricOwner, points: readonly CheckedMetric[]): Promise<void> {
  const o = ownerColumns(owner);
  const rows = points.map((p) => ({ ...o, name: p.name, step: p.step, value: toDouble(p.encoded), timestamp: p.timestamp }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(trialMetrics).values(rows.slice(i, i + 1000));
}

/** Points ordered by name, then step, then the order they were appended in. */
export async function getMetricsInTx(db: PgDb, owner: MetricOwner, name?: string): Promise<Required<MetricPoint>[]> {
  const where = name === undefined ? ownerWhere(trialMetrics, owner) : and(ownerWhere(trialMetrics, owner), eq(trialMetrics.name, name));
  const rows = await db.select().from(trialMetrics).where(where).orderBy(asc(trialMetrics.name), asc(trialMetrics.step), asc(trialMetrics.metricId));
  return rows.map((r) => Object.freeze({ name: r.name, step: r.step, value: r.value, timestamp: r.timestamp }));
}

export async function appendLogsInTx(db: PgDb, owner: MetricOwner, lines: readonly CheckedLog[]): Promise<void> {
  const o = ownerColumns(owner);
  const rows = lines.map(({ line, dataJson }) => ({ ...o, level: line.level, message: line.message, timestamp: line.timestamp, dataJson }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(trialLogs).values(rows.slice(i, i + 1000));
}

export async function getLogsInTx(db: PgDb, owner: MetricOwner): Promise<LogLine[]> {
  const rows = await db.select().from(trialLogs).where(ownerWhere(trialLogs, owner)).orderBy(asc(trialLogs.logId));
  return rows.map((r) => {
    const line: LogLine = { level: r.level, message: r.message, timestamp: r.timestamp };
    return Object.freeze(r.dataJson === null ? line : { ...line, data: decodeJson<Attrs>(r.dataJson) });
  });
}

export async function createRunInTx(db: PgDb, run: CheckedRun, now: number): Promise<FrozenRun> {
  const [row] = await db
    .insert(runs)
    .values({ studyName: run.studyName, trialNumber: run.trialNumber, subsystem: run.subsystem, state: 'RUNNING', configJson: run.configJson, datetimeStart: now, codeVersion: run.codeVersion })
    .returning();
  return toFrozenRun(row);
}

export async function finishRunInTx(db: PgDb, runId: number, finish: CheckedRunFinish, now: number): Promise<FrozenRun> {
  const [current] = await db.select({ state: runs.state }).from(runs).where(eq(runs.runId, runId)).for('update');
  if (!current) throw runNotFound(runId);
  if (current.state !== 'RUNNING') throw runFinished(runId, current.state);
  const error = finish.error;
  const [row] = await db
    .update(runs)
    .set({
      state: finish.state, resultJson: finish.resultJson, datetimeComplete: now,
      errorMessage: error?.message ?? null, errorStack: error?.stack ?? null, errorCode: error?.code ?? null,
    })
    .where(eq(runs.runId, runId))
    .returning();
  return toFrozenRun(row);
}

export async function getRunInTx(db: PgDb, runId: number): Promise<FrozenRun> {
  const [row] = await db.select().from(runs).where(eq(runs.runId, runId));
  if (!row) throw runNotFound(runId);
  return toFrozenRun(row);
}

export async function listRunsInTx(db: PgDb): Promise<FrozenRun[]> {
  return (await db.select().from(runs).orderBy(asc(runs.runId))).map(toFrozenRun);
}

function toFrozenRun(r: typeof runs.$inferSelect): FrozenRun {
  return freezeRun({
    runId: r.runId,
    studyName: r.studyName,
    trialNumber: r.trialNumber,
    subsystem: r.subsystem,
    state: r.state,
    config: decodeJson<Attrs>(r.configJson),
    result: r.resultJson === null ? null : decodeJson<Attrs>(r.resultJson),
    error: r.errorMessage === null ? null : { message: r.errorMessage, stack: r.errorStack, code: r.errorCode },
    datetimeStart: r.datetimeStart,
    datetimeComplete: r.datetimeComplete,
    codeVersion: r.codeVersion,
  });
}
