import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/**
 * A statement the embedded database keeps planned, as a function of its session.
 *
 * PGlite plans every statement it is sent: it ignores the names that make PostgreSQL keep a
 * prepared statement (see prepared.ts), and on its WebAssembly engine planning one of the payment
 * path's CTE statements takes about as long as running it (a lone payment's settlement 0.5 of
 * 1.2 ms, its insert 0.3 of 0.7). Wrapped in a PL/pgSQL function created in the session's own
 * schema (`pg_temp`: nothing in the database's schema, nothing to migrate, gone with the
 * session), a statement is parsed and planned once, and each call only binds and runs it.
 *
 * The plan is generic (`plan_cache_mode = force_generic_plan`; a custom plan per call would plan
 * again) and made with sequential scans disabled: made while the tables are nearly empty, a
 * generic plan would otherwise scan them whole and go on doing so as they grow (see prepared.ts).
 * Disabled, every lookup goes by index, as it should at any size. A migration that alters a table
 * invalidates the plan, as for any prepared statement.
 *
 * On PostgreSQL the statements run as written: measured there (sixth sitting), the
 * functions saved ≈ 10 µs of PostgreSQL's CPU per payment out of ≈ 430, within the noise of the
 * total, and state kept in a session does not survive a transaction-pooling proxy.
 */
export type PlanCachedStatement = {
  /** The function's name in pg_temp. */
  name: string;
  /** The statement, with `?` for each parameter. */
  sql: string;
  /** The SQL type of each `?`, in order. */
  parameters: readonly string[];
  /** The statement's result columns as `RETURNS TABLE (...)` lists them: names and types. */
  returns: string;
};

/** Per database (a knex client's config, which its transactions share): the statements its session has as functions. */
const sessions = new WeakMap<object, Promise<ReadonlySet<string>>>();
/** The key of `db` in {@link sessions}; a stand-in without a client (a unit test's fake) has none. */
const sessionOf = (db: Db): object | undefined => (db.client as { config?: object } | undefined)?.config;

/**
 * Creates `statements` as functions of `db`'s session (PGlite has only one); from then on
 * {@link runPlanCached} runs them through these. Resolves false, and the statements keep running
 * as written, should that fail (`onError` says why).
 */
export function keepPlanned(db: Knex, statements: readonly PlanCachedStatement[], onError: (error: unknown) => void): Promise<boolean> {
  const session = sessionOf(db);
  const before = (session && sessions.get(session)) ?? Promise.resolve(new Set<string>());
  const created = before.then(async (names) => {
    try {
      for (const statement of statements) await db.raw(functionSql(statement)); // one command per query, as PGlite takes them
      return new Set([...names, ...statements.map((s) => s.name)]);
    } catch (error) {
      onError(error);
      return names;
    }
  });
  if (session) sessions.set(session, created);
  return created.then((names) => statements.every((s) => names.has(s.name)));
}

/** Runs `statement` with `bindings`: by its function where `db`'s session keeps it planned, else as written. */
export async function runPlanCached<TResult>(db: Db, statement: PlanCachedStatement, bindings: readonly Knex.RawBinding[]): Promise<TResult> {
  if (!(await isKeptPlanned(db, statement))) return (await db.raw(statement.sql, bindings)) as TResult;
  return (await db.raw(callSqlOf(statement), bindings)) as TResult;
}

/** Each statement's call of its function, built on first use (the payment path runs them hundreds of times a second). */
const callSql = new WeakMap<PlanCachedStatement, string>();
function callSqlOf(statement: PlanCachedStatement): string {
  let sql = callSql.get(statement);
  if (sql === undefined) {
    sql = `SELECT * FROM pg_temp.${statement.name}(${statement.parameters.map((type) => `?::${type}`).join(', ')})`;
    callSql.set(statement, sql);
  }
  return sql;
}

/** Whether `db`'s session has `statement` as a function (see {@link keepPlanned}); it waits for one being created. */
export async function isKeptPlanned(db: Db, statement: PlanCachedStatement): Promise<boolean> {
  const session = sessionOf(db);
  // A session that never kept anything planned (PostgreSQL) answers without awaiting a lookup.
  const names = session && sessions.get(session);
  return names !== undefined && (await names).has(statement.name);
}

/** The CREATE FUNCTION of a statement: its `?` become the function's `$1`, `$2`, … */
export function functionSql(statement: PlanCachedStatement): string {
  let count = 0;
  const body = statement.sql.replace(/\?/g, () => `$${++count}`);
  if (count !== statement.parameters.length) {
    throw new Error(`${statement.name}: the statement has ${count} parameters, and ${statement.parameters.length} types are given`);
  }
  // use_column: the result columns' names are variables inside the function, and the statement
  // means the tables' columns of the same names.
  return `CREATE OR REPLACE FUNCTION pg_temp.${statement.name}(${statement.parameters.join(', ')})
    RETURNS TABLE (${statement.returns}) LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
    AS $statement$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY ${body};
    END
    $statement$`;
}
