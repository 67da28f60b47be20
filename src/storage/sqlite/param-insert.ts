import type Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { Distribution } from '../../space/distributions.js';
import { storedDistribution } from '../stored-distribution.js';
import { distributions, trialParams } from './schema.js';

/**
 * Inserts a trial's parameter pointing at its study's row for the distribution, adding that row the first time
 * the study uses the distribution. On the hot path (every suggest of every trial) the lookup and the insert are
 * one statement, `INSERT … SELECT` from `distributions`: it inserts nothing when the distribution is new, and only
 * then is the distribution inserted and the statement run again. Plain better-sqlite3 statements, as in
 * value-writer.ts; the names come from the drizzle schema. Call it inside the caller's write transaction.
 */
export class ParamInsert {
  readonly #insertParam: Database.Statement<[number, string, number, number, string]>;
  readonly #insertDistribution: Database.Statement<[number, string, string]>;

  constructor(sqlite: Database.Database) {
    const p = trialParams;
    const d = distributions;
    this.#insertParam = sqlite.prepare(
      `INSERT INTO ${getTableConfig(p).name} (${p.trialId.name}, ${p.name.name}, ${p.internal.name}, ${p.distributionId.name})
       SELECT ?, ?, ?, ${d.distributionId.name} FROM ${getTableConfig(d).name} WHERE ${d.studyId.name} = ? AND ${d.hash.name} = ?`,
    );
    this.#insertDistribution = sqlite.prepare(
      `INSERT INTO ${getTableConfig(d).name} (${d.studyId.name}, ${d.hash.name}, ${d.json.name}) VALUES (?, ?, ?)`,
    );
  }

  /** Inserts a parameter already checked against its distribution. */
  runInTx(studyId: number, trialId: number, name: string, distribution: Distribution, internal: number): void {
    // Equal SHA-256 means equal JSON: a collision is not a case to handle.
    const { hash, json } = storedDistribution(distribution);
    if (this.#insertParam.run(trialId, name, internal, studyId, hash).changes === 1) return;
    this.#insertDistribution.run(studyId, hash, json);
    if (this.#insertParam.run(trialId, name, internal, studyId, hash).changes !== 1) {
      throw new Error(`parameter "${name}" was not inserted after its distribution was`);
    }
  }
}
