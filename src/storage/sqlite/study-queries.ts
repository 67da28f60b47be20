import { asc, eq, sql } from 'drizzle-orm';
import type { AttrValue, Attrs, FrozenStudy, StudyDirection, StudySummary } from '../../core/frozen.js';
import { renameTargetTaken, studyExists, studyNotFound } from '../checks.js';
import { emptyCounts, summarize } from '../summary.js';
import { decodeJson, decodeValue, encodeAttr } from '../values.js';
import type { Db } from './connection.js';
import { studies, studyAttrs, trials } from './schema.js';

type StudyRow = typeof studies.$inferSelect;

/** Studies and their attributes. `…InTx` functions run inside the caller's transaction. */

export function findStudyInTx(db: Db, by: { name: string } | { studyId: number }): FrozenStudy | undefined {
  const where = 'name' in by ? eq(studies.name, by.name) : eq(studies.studyId, by.studyId);
  const row = db.select().from(studies).where(where).get();
  return row && freezeStudyRow(db, row);
}

export function createStudyInTx(
  db: Db,
  opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs },
  now: number,
): FrozenStudy {
  if (db.select({ id: studies.studyId }).from(studies).where(eq(studies.name, opts.name)).get()) throw studyExists(opts.name);
  const row = db.insert(studies).values({ name: opts.name, direction: opts.direction, createdAt: now }).returning().get();
  for (const kind of ['user', 'system'] as const) {
    const attrs = (kind === 'user' ? opts.userAttrs : opts.systemAttrs) ?? {};
    for (const [key, value] of Object.entries(attrs)) setStudyAttrInTx(db, row.studyId, kind, key, value, opts.name);
  }
  return freezeStudyRow(db, row);
}

export function setStudyAttrInTx(db: Db, studyId: number, kind: 'user' | 'system', key: string, value: AttrValue, studyName: string): void {
  const valueJson = encodeAttr(key, value, `study "${studyName}" ${kind}`);
  db.insert(studyAttrs)
    .values({ studyId, kind, key, valueJson })
    .onConflictDoUpdate({ target: [studyAttrs.studyId, studyAttrs.kind, studyAttrs.key], set: { valueJson } })
    .run();
}

/** Deletes the study; foreign keys cascade to its trials and everything recorded about them. */
export function deleteStudyInTx(db: Db, name: string): number {
  const row = db.select({ studyId: studies.studyId }).from(studies).where(eq(studies.name, name)).get();
  if (!row) throw studyNotFound(name);
  db.delete(studies).where(eq(studies.studyId, row.studyId)).run();
  return row.studyId;
}

/** Renames the study (its id, and so its trials, stay); the new name must be free. */
export function renameStudyInTx(db: Db, name: string, newName: string): FrozenStudy {
  const row = db.select({ studyId: studies.studyId }).from(studies).where(eq(studies.name, name)).get();
  if (!row) throw studyNotFound(name);
  if (db.select({ id: studies.studyId }).from(studies).where(eq(studies.name, newName)).get()) throw renameTargetTaken(newName);
  const renamed = db.update(studies).set({ name: newName }).where(eq(studies.studyId, row.studyId)).returning().get();
  return freezeStudyRow(db, renamed);
}

/** Every study with per-state counts and its best COMPLETE trial, computed in SQL rather than by loading trials. */
export function listStudiesInTx(db: Db): StudySummary[] {
  const rows = db.select().from(studies).orderBy(asc(studies.studyId)).all();
  const counts = db
    .select({ studyId: trials.studyId, state: trials.state, n: sql<number>`COUNT(*)` })
    .from(trials)
    .groupBy(trials.studyId, trials.state)
    .all();
  return rows.map((row) => {
    const c = emptyCounts();
    for (const r of counts) if (r.studyId === row.studyId) c[r.state] = r.n;
    return summarize(freezeStudyRow(db, row), c, bestInTx(db, row.studyId, row.direction));
  });
}

/**
 * The best COMPLETE trial. value_type ranks the infinities around the finite values (−∞ < finite < +∞),
 * since the REAL column holds 0 for them; ties go to the lower trial number.
 */
function bestInTx(db: Db, studyId: number, direction: StudyDirection): { number: number; value: number } | undefined {
  const rank = sql`CASE ${trials.valueType} WHEN 'INF_NEG' THEN 0 WHEN 'FINITE' THEN 1 ELSE 2 END`;
  const order = direction === 'minimize' ? [sql`${rank} ASC`, sql`${trials.value} ASC`] : [sql`${rank} DESC`, sql`${trials.value} DESC`];
  const row = db
    .select({ number: trials.number, value: trials.value, valueType: trials.valueType })
    .from(trials)
    .where(sql`${trials.studyId} = ${studyId} AND ${trials.state} = 'COMPLETE' AND ${trials.valueType} IS NOT NULL`)
    .orderBy(...order, asc(trials.number))
    .limit(1)
    .get();
  return row && { number: row.number, value: decodeValue(row.value, row.valueType) as number };
}

function freezeStudyRow(db: Db, row: StudyRow): FrozenStudy {
  const attrs = db.select().from(studyAttrs).where(eq(studyAttrs.studyId, row.studyId)).all();
  const pick = (kind: 'user' | 'system'): Attrs =>
    Object.freeze(Object.fromEntries(attrs.filter((a) => a.kind === kind).map((a) => [a.key, decodeJson<AttrValue>(a.valueJson)])));
  return Object.freeze({
    studyId: row.studyId,
    name: row.name,
    direction: row.direction,
    createdAt: new Date(row.createdAt),
    userAttrs: pick('user'),
    systemAttrs: pick('system'),
  });
}
