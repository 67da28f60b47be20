import { asc, eq, sql } from 'drizzle-orm';
import type { AttrValue, Attrs, FrozenStudy, StudyDirection, StudySummary } from '../../core/frozen.js';
import { renameTargetTaken, studyExists, studyNotFound } from '../checks.js';
import { emptyCounts, summarize } from '../summary.js';
import { decodeJson, encodeAttr } from '../values.js';
import type { PgDb } from './connection.js';
import { studies, studyAttrs, trials } from './schema.js';

type StudyRow = typeof studies.$inferSelect;

/** Studies and their attributes (drizzle pg-core). `…InTx` functions run inside the caller's transaction. */

export async function findStudyInTx(db: PgDb, by: { name: string } | { studyId: number }): Promise<FrozenStudy | undefined> {
  const where = 'name' in by ? eq(studies.name, by.name) : eq(studies.studyId, by.studyId);
  const [row] = await db.select().from(studies).where(where);
  return row && freezeStudyRow(db, row);
}

/** Creates the study; a name taken by another host at the same moment is STUDY_EXISTS too (unique index). */
export async function createStudyInTx(
  db: PgDb,
  opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs },
  now: number,
): Promise<FrozenStudy> {
  const [row] = await db
    .insert(studies)
    .values({ name: opts.name, direction: opts.direction, createdAt: now })
    .onConflictDoNothing({ target: studies.name })
    .returning();
  if (!row) throw studyExists(opts.name);
  for (const kind of ['user', 'system'] as const) {
    const attrs = (kind === 'user' ? opts.userAttrs : opts.systemAttrs) ?? {};
    for (const [key, value] of Object.entries(attrs)) await setStudyAttrInTx(db, row.studyId, kind, key, value, opts.name);
  }
  return freezeStudyRow(db, row);
}

export async function setStudyAttrInTx(db: PgDb, studyId: number, kind: 'user' | 'system', key: string, value: AttrValue, studyName: string): Promise<void> {
  const valueJson = encodeAttr(key, value, `study "${studyName}" ${kind}`);
  await db
    .insert(studyAttrs)
    .values({ studyId, kind, key, valueJson })
    .onConflictDoUpdate({ target: [studyAttrs.studyId, studyAttrs.kind, studyAttrs.key], set: { valueJson } });
}

/** Deletes the study; foreign keys cascade to its trials and everything recorded about them. */
export async function deleteStudyInTx(db: PgDb, name: string): Promise<number> {
  const [row] = await db.delete(studies).where(eq(studies.name, name)).returning({ studyId: studies.studyId });
  if (!row) throw studyNotFound(name);
  return row.studyId;
}

export async function renameStudyInTx(db: PgDb, name: string, newName: string): Promise<FrozenStudy> {
  const [row] = await db.select({ studyId: studies.studyId }).from(studies).where(eq(studies.name, name)).for('update');
  if (!row) throw studyNotFound(name);
  const [taken] = await db.select({ id: studies.studyId }).from(studies).where(eq(studies.name, newName));
  if (taken) throw renameTargetTaken(newName);
  const [renamed] = await db.update(studies).set({ name: newName }).where(eq(studies.studyId, row.studyId)).returning();
  return freezeStudyRow(db, renamed);
}

/** Every study with per-state counts and its best COMPLETE trial, computed in SQL rather than by loading trials. */
export async function listStudiesInTx(db: PgDb): Promise<StudySummary[]> {
  const rows = await db.select().from(studies).orderBy(asc(studies.studyId));
  const counts = await db
    .select({ studyId: trials.studyId, state: trials.state, n: sql<number>`COUNT(*)::int` })
    .from(trials)
    .groupBy(trials.studyId, trials.state);
  const out: StudySummary[] = [];
  for (const row of rows) {
    const c = emptyCounts();
    for (const r of counts) if (r.studyId === row.studyId) c[r.state] = r.n;
    out.push(summarize(await freezeStudyRow(db, row), c, await bestInTx(db, row.studyId, row.direction)));
  }
  return out;
}

/** The best COMPLETE trial; double precision orders −∞ < finite < +∞ itself. Ties go to the lower number. */
async function bestInTx(db: PgDb, studyId: number, direction: StudyDirection): Promise<{ number: number; value: number } | undefined> {
  const [row] = await db
    .select({ number: trials.number, value: trials.value })
    .from(trials)
    .where(sql`${trials.studyId} = ${studyId} AND ${trials.state} = 'COMPLETE' AND ${trials.value} IS NOT NULL`)
    .orderBy(direction === 'minimize' ? sql`${trials.value} ASC` : sql`${trials.value} DESC`, asc(trials.number))
    .limit(1);
  return row && { number: row.number, value: row.value as number };
}

async function freezeStudyRow(db: PgDb, row: StudyRow): Promise<FrozenStudy> {
  const attrs = await db.select().from(studyAttrs).where(eq(studyAttrs.studyId, row.studyId));
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
