import type pg from 'pg';

/**
 * Named prepared statements for the trial's hot path (read, create, claim, params, finish, heartbeat, reap, values).
 *
 * pg parses a named statement once per connection (it remembers the name per connection and reconnects re-parse),
 * then sends only Bind/Describe/Execute: the server skips parsing and analysing the text, and once its plan cache
 * settles on a generic plan, planning too. The incremental read's plan alone cost more than running it (0.4 ms
 * planning against 0.2 ms execution, EXPLAIN ANALYZE at 1,000 trials), paid on every `ask`. The texts are constants,
 * so one statement never changes under its name (pg refuses a second text for a name on one connection).
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
  /**
   * The statement's query config without its values, as a prototype: each call's config is an object inheriting
   * it with `values` its one own property. pg copies a config's own property descriptors on every query
   * (`cloneQueryConfig`), keeping its prototype, so it copies one instead of three or four.
   */
  readonly config: Readonly<{ name: string; text: string }>;
  /** The same, rows as arrays (`rowMode: 'array'`: pg builds no object per row). */
  readonly arrayConfig: Readonly<{ name: string; text: string; rowMode: 'array' }>;
}

const names = new Set<string>();

/** Declares a statement once, at module load; a name declared twice is a programming error. */
export function prepared(name: string, text: string): Prepared {
  const full = `parzen_${name}`;
  if (names.has(full)) throw new Error(`prepared statement "${full}" declared twice`);
  names.add(full);
  return Object.freeze({
    name: full,
    text,
    config: Object.freeze({ name: full, text }),
    arrayConfig: Object.freeze({ name: full, text, rowMode: 'array' as const }),
  });
}

/** Runs a prepared statement with `values` on `c`. */
export function runPrepared<R extends pg.QueryResultRow>(c: pg.ClientBase, stmt: Prepared, values: unknown[]): Promise<pg.QueryResult<R>> {
  return c.query<R>(withValues(stmt.config, values) as pg.QueryConfig);
}

/** Runs a prepared statement with `values` on `c`, its rows as arrays of the columns' values. */
export function runPreparedArrays<R extends unknown[]>(c: pg.ClientBase, stmt: Prepared, values: unknown[]): Promise<pg.QueryArrayResult<R>> {
  return c.query<R>(withValues(stmt.arrayConfig, values) as pg.QueryArrayConfig);
}

function withValues(proto: object, values: unknown[]): object {
  const config = Object.create(proto) as { values: unknown[] };
  config.values = values;
  return config;
}
