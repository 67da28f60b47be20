import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { VALUE_TYPES } from '../values.js';

/**
 * The study store's tables, declared for drizzle's typed queries. The DDL that creates them lives in
 * migrations.ts (a versioned list); tests/storage/sqlite-schema-matches-migrations.test.ts keeps both in step.
 * Times are INTEGER milliseconds since the epoch. REAL values that may be ±Infinity carry a `value_type`.
 */

const TRIAL_STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;
const ATTR_KINDS = ['user', 'system'] as const;

export const studies = sqliteTable('studies', {
  studyId: integer('study_id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  direction: text('direction', { enum: ['minimize', 'maximize'] }).notNull(),
  createdAt: integer('created_at').notNull(),
});

export const studyAttrs = sqliteTable(
  'study_attrs',
  {
    studyId: integer('study_id').notNull().references(() => studies.studyId, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ATTR_KINDS }).notNull(),
    key: text('key').notNull(),
    valueJson: text('value_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.kind, t.key] })],
);

export const trials = sqliteTable(
  'trials',
  {
    trialId: integer('trial_id').primaryKey({ autoIncrement: true }),
    studyId: integer('study_id').notNull().references(() => studies.studyId, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    state: text('state', { enum: TRIAL_STATES }).notNull(),
    value: real('value'),
    valueType: text('value_type', { enum: VALUE_TYPES }),
    datetimeStart: integer('datetime_start'),
    datetimeComplete: integer('datetime_complete'),
    heartbeat: integer('heartbeat'),
    errorMessage: text('error_message'),
    errorStack: text('error_stack'),
    errorCode: text('error_code'),
    worker: text('worker'),
    seed: integer('seed'),
    codeVersion: text('code_version'),
    budgetJson: text('budget_json'),
    retryOf: integer('retry_of'),
  },
  (t) => [uniqueIndex('trials_study_number').on(t.studyId, t.number), index('trials_study_state').on(t.studyId, t.state)],
);

/**
 * Each distinct distribution of a study, once (canonical JSON, looked up by its SHA-256; see
 * storage/stored-distribution.ts). `json` is the last column so reading `hash` never pulls a long choice
 * list's overflow pages.
 */
export const distributions = sqliteTable(
  'distributions',
  {
    distributionId: integer('distribution_id').primaryKey({ autoIncrement: true }),
    studyId: integer('study_id').notNull().references(() => studies.studyId, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    json: text('json').notNull(),
  },
  (t) => [uniqueIndex('distributions_study_hash').on(t.studyId, t.hash)],
);

export const trialParams = sqliteTable(
  'trial_params',
  {
    trialId: integer('trial_id').notNull().references(() => trials.trialId, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    distributionId: integer('distribution_id').notNull().references(() => distributions.distributionId),
    internal: real('internal').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.name] }), index('trial_params_distribution').on(t.distributionId)],
);

export const trialIntermediateValues = sqliteTable(
  'trial_intermediate_values',
  {
    trialId: integer('trial_id').notNull().references(() => trials.trialId, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    value: real('value').notNull(),
    valueType: text('value_type', { enum: VALUE_TYPES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.step] })],
);

export const trialAttrs = sqliteTable(
  'trial_attrs',
  {
    trialId: integer('trial_id').notNull().references(() => trials.trialId, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ATTR_KINDS }).notNull(),
    key: text('key').notNull(),
    valueJson: text('value_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.kind, t.key] })],
);

export const runs = sqliteTable('runs', {
  runId: integer('run_id').primaryKey({ autoIncrement: true }),
  studyName: text('study_name'),
  /** Migration 3: the study trial the run trained (null for older runs). */
  trialNumber: integer('trial_number'),
  subsystem: text('subsystem').notNull(),
  state: text('state', { enum: ['RUNNING', 'COMPLETE', 'FAIL'] }).notNull(),
  configJson: text('config_json').notNull(),
  resultJson: text('result_json'),
  errorMessage: text('error_message'),
  errorStack: text('error_stack'),
  errorCode: text('error_code'),
  datetimeStart: integer('datetime_start').notNull(),
  datetimeComplete: integer('datetime_complete'),
  codeVersion: text('code_version'),
});

/** Exactly one owner: a trial or a full-training run. */
const oneOwner = (t: { trialId: unknown; runId: unknown }, name: string) =>
  check(name, sql`(${t.trialId} IS NULL) <> (${t.runId} IS NULL)`);

export const trialMetrics = sqliteTable(
  'trial_metrics',
  {
    metricId: integer('metric_id').primaryKey({ autoIncrement: true }),
    trialId: integer('trial_id').references(() => trials.trialId, { onDelete: 'cascade' }),
    runId: integer('run_id').references(() => runs.runId, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    step: integer('step').notNull(),
    value: real('value').notNull(),
    valueType: text('value_type', { enum: VALUE_TYPES }).notNull(),
    timestamp: integer('timestamp').notNull(),
  },
  (t) => [
    index('trial_metrics_trial').on(t.trialId, t.name, t.step),
    index('trial_metrics_run').on(t.runId, t.name, t.step),
    oneOwner(t, 'trial_metrics_one_owner'),
  ],
);

export const trialLogs = sqliteTable(
  'trial_logs',
  {
    logId: integer('log_id').primaryKey({ autoIncrement: true }),
    trialId: integer('trial_id').references(() => trials.trialId, { onDelete: 'cascade' }),
    runId: integer('run_id').references(() => runs.runId, { onDelete: 'cascade' }),
    level: text('level', { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] }).notNull(),
    message: text('message').notNull(),
    timestamp: integer('timestamp').notNull(),
    dataJson: text('data_json'),
  },
  (t) => [index('trial_logs_trial').on(t.trialId), index('trial_logs_run').on(t.runId), oneOwner(t, 'trial_logs_one_owner')],
);

export const schema = { studies, studyAttrs, trials, distributions, trialParams, trialIntermediateValues, trialAttrs, runs, trialMetrics, trialLogs };
export type Schema = typeof schema;
