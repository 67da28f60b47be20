import { and, asc, eq } from 'drizzle-orm';
import type { Attrs, FrozenRun, LogLine, MetricPoint, TrialError } from '../../core/frozen.js';
import { runNotFound } from '../checks.js';
import { freezeRun } from '../snapshot.js';
import type { MetricOwner } from '../storage.js';
import { runFinished, type CheckedLog, type CheckedMetric, type CheckedRun, type CheckedRunFinish } from '../tracking-checks.js';
import { decodeJson, decodeValue } from '../values.js';
import type { Db } from './connection.js';
import { runs, trialLogs, trialMetrics } from './schema.js';
import type { TrialWrites } from './trial-writes.js';

/** Named metric series, logs and full-training runs. `…InTx` functions run inside the caller's transaction. */

const ownerColumns = (owner: MetricOwner): { trialId: number | null; runId: number | null } =>
  'trialId' in owner ? { trialId: owner.trialId, runId: null } : { trialId: null, runId: owner.runId };

const ownerWhere = (table: typeof trialMetrics | typeof trialLogs, owner: MetricOwner) =>
  'trialId' in owner ? eq(table.trialId, owner.trialId) : eq(table.runId, owner.runId);

/** Throws unless the owner exists and, when `action` is given, can still be written to. */
export function checkOwnerInTx(db: Db, writes: TrialWrites, owner: MetricOwner, action?: string): void {
  if ('trialId' in owner) {
    if (action === undefined) writes.headInTx(owner.trialId);
    else writes.writableInTx(owner.trialId, action);
    return;
  }
  const run = db.select({ state: runs.state }).from(runs).where(eq(runs.runId, owner.runId)).get();
  if (!run) throw runNotFound(owner.runId);
  if (action !== undefined && run.state !== 'RUNNING') throw runFinished(owner.runId, run.state);
}

export function appendMetricsInTx(db: Db, owner: MetricOwner, points: readonly CheckedMetric[]): void {
  if (points.length === 0) return;
  const o = ownerColumns(owner);
  const rows = points.map((p) => ({ ...o, name: p.name, step: p.step, value: p.encoded.value, valueType: p.encoded.valueType, timestamp: p.timestamp }));
  // SQLite caps bound variables per statement; 500 rows × 7 columns stays well below the default 32766.
  for (let i = 0; i < rows.length; i += 500) db.insert(trialMetrics).values(rows.slice(i, i + 500)).run();
}

/** Points ordered by name, then step, then the order they were appended in. */
export function getMetricsInTx(db: Db, owner: MetricOwner, name?: string): Required<MetricPoint>[] {
  const where = name === undefined ? ownerWhere(trialMetrics, owner) : and(ownerWhere(trialMetrics, owner), eq(trialMetrics.name, name));
  return db
    .select()
    .from(trialMetrics)
    .where(where)
    .orderBy(asc(trialMetrics.name), asc(trialMetrics.step), asc(trialMetrics.metricId))
    .all()
    .map((r) => Object.freeze({ name: r.name, step: r.step, value: decodeValue(r.value, r.valueType) as number, timestamp: r.timestamp }));
}

export function appendLogsInTx(db: Db, owner: MetricOwner, lines: readonly CheckedLog[]): void {
  if (lines.length === 0) return;
  const o = ownerColumns(owner);
  const rows = lines.map(({ line, dataJson }) => ({ ...o, level: line.level, message: line.message, timestamp: line.timestamp, dataJson }));
  for (let i = 0; i < rows.length; i += 500) db.insert(trialLogs).values(rows.slice(i, i + 500)).run();
}

export function getLogsInTx(db: Db, owner: MetricOwner): LogLine[] {
  return db
    .select()
    .from(trialLogs)
    .where(ownerWhere(trialLogs, owner))
    .orderBy(asc(trialLogs.logId))
    .all()
    .map((r) => {
      const line: LogLine = { level: r.level, message: r.message, timestamp: r.timestamp };
      return Object.freeze(r.dataJson === null ? line : { ...line, data: decodeJson<Attrs>(r.dataJson) });
    });
}

export function createRunInTx(db: Db, run: CheckedRun, now: number): FrozenRun {
  const row = db
    .insert(runs)
    .values({ studyName: run.studyName, trialNumber: run.trialNumber, subsystem: run.subsystem, state: 'RUNNING', configJson: run.configJson, datetimeStart: now, codeVersion: run.codeVersion })
    .returning()
    .get();
  return toFrozenRun(row);
}

export function finishRunInTx(db: Db, runId: number, finish: CheckedRunFinish, now: number): FrozenRun {
  const current = getRunInTx(db, runId);
  if (current.state !== 'RUNNING') throw runFinished(runId, current.state);
  const error: TrialError | null = finish.error;
  const row = db
    .update(runs)
    .set({
      state: finish.state, resultJson: finish.resultJson, datetimeComplete: now,
      errorMessage: error?.message ?? null, errorStack: error?.stack ?? null, errorCode: error?.code ?? null,
    })
    .where(eq(runs.runId, runId))
    .returning()
    .get();
  return toFrozenRun(row);
}

export function getRunInTx(db: Db, runId: number): FrozenRun {
  const row = db.select().from(runs).where(eq(runs.runId, runId)).get();
  if (!row) throw runNotFound(runId);
  return toFrozenRun(row);
}

export function listRunsInTx(db: Db): FrozenRun[] {
  return db.select().from(runs).orderBy(asc(runs.runId)).all().map(toFrozenRun);
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
