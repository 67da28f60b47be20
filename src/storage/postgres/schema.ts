import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, doublePrecision, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL store's tables, declared for drizzle's typed queries; the DDL lives in migrations.ts (a
 * versioned list) and tests/storage/postgres-schema-matches-migrations checks both agree. Times the store
 * writes from its `clock` are BIGINT milliseconds since the epoch, as in SQLite; `lease_expires` is a
 * `timestamptz` judged by the server's own `now()`, so no host's clock decides whether another host's trial
 * is dead. Values are `double precision`, which holds ±Infinity itself (no value_type column needed).
 */

const TRIAL_STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;
const ATTR_KINDS = ['user', 'system'] as const;
const ms = (name: string) => bigint(name, { mode: 'number' });

export const studies = pgTable('studies', {
  studyId: bigserial('study_id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull().unique(),
  direction: text('direction', { enum: ['minimize', 'maximize'] }).notNull(),
  createdAt: ms('created_at').notNull(),
  /** The number the next trial gets: taken with one row-locking UPDATE, so numbers are dense across hosts. */
  nextTrialNumber: bigint('next_trial_number', { mode: 'number' }).notNull().default(0),
});

export const studyAttrs = pgTable(
  'study_attrs',
  {
    studyId: bigint('study_id', { mode: 'number' }).notNull().references(() => studies.studyId, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ATTR_KINDS }).notNull(),
    key: text('key').notNull(),
    valueJson: text('value_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.kind, t.key] })],
);

export const trials = pgTable(
  'trials',
  {
    trialId: bigserial('trial_id', { mode: 'number' }).primaryKey(),
    // The study's, whose row every insert locks; no foreign key, deleted with it by a trigger (migration 10).
    studyId: bigint('study_id', { mode: 'number' }).notNull(),
    number: bigint('number', { mode: 'number' }).notNull(),
    state: text('state', { enum: TRIAL_STATES }).notNull(),
    value: doublePrecision('value'),
    datetimeStart: ms('datetime_start'),
    datetimeComplete: ms('datetime_complete'),
    heartbeat: ms('heartbeat'),
    errorMessage: text('error_message'),
    errorStack: text('error_stack'),
    errorCode: text('error_code'),
    worker: text('worker'),
    seed: bigint('seed', { mode: 'number' }),
    codeVersion: text('code_version'),
    budgetJson: text('budget_json'),
    retryOf: bigint('retry_of', { mode: 'number' }),
    /** Until when the worker running it holds it (server time); null for trials not run under a lease. */
    leaseExpires: timestamp('lease_expires', { withTimezone: true, mode: 'date' }),
    /** The last non-idempotent write's token, so a call re-run after a lost connection is not applied twice (migration 2). */
    writeToken: text('write_token'),
    /** The create's write token of a RUNNING trial created (not claimed); its creator's writes check it (migration 4). */
    ownerToken: text('owner_token'),
  },
  (t) => [uniqueIndex('trials_study_number').on(t.studyId, t.number), index('trials_study_state').on(t.studyId, t.state)],
);

/** Each distinct distribution of a study once (canonical JSON found by its SHA-256; storage/stored-distribution.ts). */
export const distributions = pgTable(
  'distributions',
  {
    distributionId: bigserial('distribution_id', { mode: 'number' }).primaryKey(),
    studyId: bigint('study_id', { mode: 'number' }).notNull().references(() => studies.studyId, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    json: text('json').notNull(),
  },
  (t) => [uniqueIndex('distributions_study_hash').on(t.studyId, t.hash)],
);

export const trialParams = pgTable(
  'trial_params',
  {
    // The trial's, locked by every insert; no foreign key, deleted with it by a trigger (migration 10).
    trialId: bigint('trial_id', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    // A distribution of the trial's study (the trial functions join it in): no foreign key or index (migration 8).
    distributionId: bigint('distribution_id', { mode: 'number' }).notNull(),
    internal: doublePrecision('internal').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.name] })],
);

export const trialIntermediateValues = pgTable(
  'trial_intermediate_values',
  {
    trialId: bigint('trial_id', { mode: 'number' }).notNull().references(() => trials.trialId, { onDelete: 'cascade' }),
    step: bigint('step', { mode: 'number' }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.step] })],
);

export const trialAttrs = pgTable(
  'trial_attrs',
  {
    // As trial_params.trial_id (migration 10).
    trialId: bigint('trial_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: ATTR_KINDS }).notNull(),
    key: text('key').notNull(),
    valueJson: text('value_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.kind, t.key] })],
);

export const runs = pgTable('runs', {
  runId: bigserial('run_id', { mode: 'number' }).primaryKey(),
  studyName: text('study_name'),
  /** Migration 2: the study trial the run trained (null for older runs). */
  trialNumber: bigint('trial_number', { mode: 'number' }),
  subsystem: text('subsystem').notNull(),
  state: text('state', { enum: ['RUNNING', 'COMPLETE', 'FAIL'] }).notNull(),
  configJson: text('config_json').notNull(),
  resultJson: text('result_json'),
  errorMessage: text('error_message'),
  errorStack: text('error_stack'),
  errorCode: text('error_code'),
  datetimeStart: ms('datetime_start').notNull(),
  datetimeComplete: ms('datetime_complete'),
  codeVersion: text('code_version'),
});

/** Exactly one owner: a trial or a full-training run. */
const oneOwner = (t: { trialId: unknown; runId: unknown }, name: string) => check(name, sql`(${t.trialId} IS NULL) <> (${t.runId} IS NULL)`);

export const trialMetrics = pgTable(
  'trial_metrics',
  {
    metricId: bigserial('metric_id', { mode: 'number' }).primaryKey(),
    trialId: bigint('trial_id', { mode: 'number' }).references(() => trials.trialId, { onDelete: 'cascade' }),
    runId: bigint('run_id', { mode: 'number' }).references(() => runs.runId, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    step: bigint('step', { mode: 'number' }).notNull(),
    value: doublePrecision('value').notNull(),
    timestamp: ms('timestamp').notNull(),
  },
  (t) => [
    index('trial_metrics_trial').on(t.trialId, t.name, t.step),
    index('trial_metrics_run').on(t.runId, t.name, t.step),
    oneOwner(t, 'trial_metrics_one_owner'),
  ],
);

export const trialLogs = pgTable(
  'trial_logs',
  {
    logId: bigserial('log_id', { mode: 'number' }).primaryKey(),
    trialId: bigint('trial_id', { mode: 'number' }).references(() => trials.trialId, { onDelete: 'cascade' }),
    runId: bigint('run_id', { mode: 'number' }).references(() => runs.runId, { onDelete: 'cascade' }),
    level: text('level', { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] }).notNull(),
    message: text('message').notNull(),
    timestamp: ms('timestamp').notNull(),
    dataJson: text('data_json'),
  },
  (t) => [index('trial_logs_trial').on(t.trialId), index('trial_logs_run').on(t.runId), oneOwner(t, 'trial_logs_one_owner')],
);

export const schema = { studies, studyAttrs, trials, distributions, trialParams, trialIntermediateValues, trialAttrs, runs, trialMetrics, trialLogs };
export type Schema = typeof schema;
