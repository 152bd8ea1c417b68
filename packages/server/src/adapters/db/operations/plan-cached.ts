import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/**
 * A statement the database keeps planned, as a function in its schema.
 *
 * Planning one of the payment path's CTE statements costs about as much as running it for a
 * lone payment: on PGlite's WebAssembly engine a settlement planned for 0.5 of its 1.2 ms, the
 * insert for 0.3 of 0.7; on PostgreSQL, a quarter to a third of the database's CPU for one
 * payment in flight (ninth sitting, see docs/performance.md). PGlite ignores the names that make
 * PostgreSQL keep a prepared statement, and PostgreSQL, given the batch statements' text by name,
 * kept planning it for each call anyway (a generic plan for a JSON batch is costed higher).
 * Wrapped in a PL/pgSQL function, a statement is parsed and planned once per connection, and each
 * call only binds and runs it.
 *
 * The plan is generic (`plan_cache_mode = force_generic_plan`; a custom plan per call would plan
 * again) and made with sequential scans disabled: made while the tables are nearly empty, a
 * generic plan would otherwise scan them whole and go on doing so as they grow (see prepared.ts).
 * Disabled, every lookup goes by index, as it should at any size. A migration that alters a table
 * invalidates the plan, as for any prepared statement.
 *
 * The functions live in the database's schema, not a session's (`pg_temp`): any connection a
 * pool or a transaction-pooling proxy hands out finds them. Each is named by its statement and a
 * hash of its definition, so processes of two versions of the gateway running against one
 * database (a rolling deploy) each call their own, and a process creates only what is missing.
 */
export type PlanCachedStatement = {
  /** The function's name, before the hash of its definition. */
  name: string;
  /** The statement, with `?` for each parameter. */
  sql: string;
  /** The SQL type of each `?`, in order. */
  parameters: readonly string[];
  /** The statement's result columns as `RETURNS TABLE (...)` lists them: names and types. */
  returns: string;
};

/** Per database (a knex client's config, which its transactions share): the statements it has as functions. */
const databases = new WeakMap<object, Promise<ReadonlySet<PlanCachedStatement>>>();
/** The key of `db` in {@link databases}; a stand-in without a client (a unit test's fake) has none. */
const databaseOf = (db: Db): object | undefined => (db.client as { config?: object } | undefined)?.config;

/** SQLSTATEs of a function that another process created first: it exists (42723), or its catalogue row was inserted concurrently (23505). */
const CREATED_BY_ANOTHER = new Set(['42723', '23505']);

/**
 * Has `db` run `statements` through their functions from now on ({@link runPlanCached}),
 * creating those it lacks; with `create: false` (a process that runs no DDL) it only finds them,
 * and the statements whose functions are missing run as written. Resolves whether all are kept;
 * `onError` is told why any is not (a role without CREATE on the schema, say).
 */
export function keepPlanned(
  db: Knex,
  statements: readonly PlanCachedStatement[],
  { create = true, onError }: { create?: boolean; onError: (error: unknown) => void },
): Promise<boolean> {
  const database = databaseOf(db);
  const before = (database && databases.get(database)) ?? Promise.resolve(new Set<PlanCachedStatement>());
  const created = before.then(async (kept) => {
    try {
      const existing = await existingFunctions(
        db,
        statements.map((s) => functionNameOf(s)),
      );
      const missing = statements.filter((s) => !existing.has(functionNameOf(s)));
      if (!create && missing.length > 0) {
        onError(new Error(`the functions ${missing.map((s) => functionNameOf(s)).join(', ')} are missing, and this process creates none`));
        return new Set([...kept, ...statements.filter((s) => !missing.includes(s))]);
      }
      for (const statement of missing) await createFunction(db, statement);
      return new Set([...kept, ...statements]);
    } catch (error) {
      onError(error);
      return kept;
    }
  });
  if (database) databases.set(database, created);
  return created.then((kept) => statements.every((s) => kept.has(s)));
}

/** Which of these functions the schema that unqualified names create in (the first of the search path) has. */
async function existingFunctions(db: Knex, names: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.raw<{ rows: Array<{ proname: string }> }>(
    'SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND proname = ANY (?::text[])',
    [[...names]],
  );
  return new Set(rows.map((r) => r.proname));
}

/** Creates `statement`'s function, unless another process just did (they are alike: same name, same hash). */
async function createFunction(db: Knex, statement: PlanCachedStatement): Promise<void> {
  try {
    await db.raw(functionSql(statement)); // one command per query, as PGlite takes them
  } catch (error) {
    if (!CREATED_BY_ANOTHER.has((error as { code?: string }).code ?? '')) throw error;
  }
}

/** Runs `statement` with `bindings`: by its function where `db` keeps it planned, else as written. */
export async function runPlanCached<TResult>(db: Db, statement: PlanCachedStatement, bindings: readonly Knex.RawBinding[]): Promise<TResult> {
  if (!(await isKeptPlanned(db, statement))) return (await db.raw(statement.sql, bindings)) as TResult;
  // The call itself is a named prepared statement too: unnamed, PostgreSQL parsed and planned
  // the `SELECT * FROM fn(…)` around the kept plan at every call: 35–60 µs of its CPU a call
  // (`bench/micro/named-call.mjs`, a function doing almost nothing: 97–123 µs unnamed, 62–67 named).
  const { name, call } = functionOf(statement);
  return (await db.raw(call, bindings).options({ name })) as TResult;
}

/** Whether `db` has `statement` as a function (see {@link keepPlanned}); it waits for one being created. */
export async function isKeptPlanned(db: Db, statement: PlanCachedStatement): Promise<boolean> {
  const database = databaseOf(db);
  const kept = database && databases.get(database);
  return kept !== undefined && (await kept).has(statement);
}

/**
 * Each statement's function, worked out once (the payment path runs them hundreds of times a
 * second): its name (the statement's and a hash of the rest), the rest of its CREATE FUNCTION,
 * and the call that runs it.
 */
const functions = new WeakMap<PlanCachedStatement, { name: string; definition: string; call: string }>();
function functionOf(statement: PlanCachedStatement): { name: string; definition: string; call: string } {
  let fn = functions.get(statement);
  if (fn === undefined) {
    const definition = definitionOf(statement);
    const name = `${statement.name}_${createHash('sha256').update(definition).digest('hex').slice(0, 12)}`;
    fn = { name, definition, call: `SELECT * FROM ${name}(${statement.parameters.map((type) => `?::${type}`).join(', ')})` };
    functions.set(statement, fn);
  }
  return fn;
}

/** The name of `statement`'s function: two versions of a statement have two functions. */
export const functionNameOf = (statement: PlanCachedStatement): string => functionOf(statement).name;

/** The CREATE FUNCTION of a statement. */
export function functionSql(statement: PlanCachedStatement): string {
  const { name, definition } = functionOf(statement);
  return `CREATE FUNCTION ${name}${definition}`;
}

/** A function's CREATE after its name: its `?` become the function's `$1`, `$2`, … */
function definitionOf(statement: PlanCachedStatement): string {
  let count = 0;
  const body = statement.sql.replace(/\?/g, () => `$${++count}`);
  if (count !== statement.parameters.length) {
    throw new Error(`${statement.name}: the statement has ${count} parameters, and ${statement.parameters.length} types are given`);
  }
  // use_column: the result columns' names are variables inside the function, and the statement
  // means the tables' columns of the same names.
  return `(${statement.parameters.join(', ')})
    RETURNS TABLE (${statement.returns}) LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
    AS $statement$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY ${body};
    END
    $statement$`;
}
