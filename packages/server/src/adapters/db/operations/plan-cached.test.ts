import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTemporaryDatabase, serviceAvailable } from '../../../../test/helpers/services.js';
import { createDatabase } from '../create-database.js';
import { functionNameOf, functionSql, isKeptPlanned, keepPlanned, runPlanCached, type PlanCachedStatement } from './plan-cached.js';

/** Rows of a scratch table by a key list and a floor: a statement with a parameter of each kind. */
const ROWS_FROM: PlanCachedStatement = {
  name: 'paygate_test_rows_from',
  sql: 'SELECT id, n FROM plan_cached_scratch WHERE id = ANY (?::text[]) AND n >= ? ORDER BY id',
  parameters: ['text[]', 'int'],
  returns: 'id text, n int',
};
/** The next version of ROWS_FROM: same name, another statement (a rolling deploy has both running). */
const ROWS_FROM_NEXT: PlanCachedStatement = { ...ROWS_FROM, sql: ROWS_FROM.sql.replace('n >= ?', 'n > ?') };

const postgres = await serviceAvailable('postgres');
const engines = postgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

/** A fresh database of `engine` with the scratch table; `drop` removes it. */
async function scratchDatabase(engine: 'pglite' | 'postgres'): Promise<{ db: Knex; drop: () => Promise<void> }> {
  const temp = engine === 'postgres' ? await createTemporaryDatabase() : undefined;
  const db = createDatabase(temp ? { kind: 'postgres', url: temp.url } : { kind: 'pglite', dataDir: 'memory' });
  await db.raw('CREATE TABLE plan_cached_scratch (id text PRIMARY KEY, n int NOT NULL)');
  await db.raw("INSERT INTO plan_cached_scratch VALUES ('a', 1), ('b', 2), ('c', 3)");
  return {
    db,
    drop: async () => {
      await db.destroy();
      await temp?.drop();
    },
  };
}

async function functionsNamed(db: Knex, prefix: string): Promise<Array<{ proname: string; proconfig: string[] }>> {
  const { rows } = await db.raw<{ rows: Array<{ proname: string; proconfig: string[] }> }>(
    'SELECT proname, proconfig FROM pg_proc WHERE proname LIKE ? ORDER BY proname',
    [`${prefix}%`],
  );
  return rows;
}

describe.each(engines)('statements kept planned (PL/pgSQL functions in the schema) on %s', (engine) => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    scratch = await scratchDatabase(engine);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('answers through the function what the statement answers as written', async () => {
    const { db } = scratch;
    expect(await isKeptPlanned(db, ROWS_FROM)).toBe(false);
    const asWritten = await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['a', 'b', 'c'], 2]);
    expect(await keepPlanned(db, [ROWS_FROM], { onError: (error) => expect.fail(String(error)) })).toBe(true);
    expect(await isKeptPlanned(db, ROWS_FROM)).toBe(true);
    const kept = await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['a', 'b', 'c'], 2]);
    expect(kept.rows).toEqual([
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ]);
    expect(kept.rows).toEqual(asWritten.rows);
    // ...in a transaction as well (it shares the database's functions)
    await db.transaction(async (trx) => {
      expect(await isKeptPlanned(trx, ROWS_FROM)).toBe(true);
      expect((await runPlanCached<{ rows: unknown[] }>(trx, ROWS_FROM, [['a'], 0])).rows).toEqual([{ id: 'a', n: 1 }]);
    });
  });

  it('plans once, generic, with sequential scans disabled, so that a plan made on an empty table looks rows up by index', async () => {
    const [fn] = await functionsNamed(scratch.db, ROWS_FROM.name);
    expect(fn?.proname).toBe(functionNameOf(ROWS_FROM));
    expect(fn?.proconfig).toEqual(['plan_cache_mode=force_generic_plan', 'enable_seqscan=off']);
  });

  it('gives the next version of a statement its own function, beside the one the previous version still calls', async () => {
    const { db } = scratch;
    expect(functionNameOf(ROWS_FROM_NEXT)).not.toBe(functionNameOf(ROWS_FROM));
    expect(functionNameOf(ROWS_FROM_NEXT)).toMatch(/^paygate_test_rows_from_[0-9a-f]{12}$/);
    expect(await keepPlanned(db, [ROWS_FROM_NEXT], { onError: (error) => expect.fail(String(error)) })).toBe(true);
    expect((await functionsNamed(db, ROWS_FROM.name)).map((f) => f.proname).sort()).toEqual([functionNameOf(ROWS_FROM), functionNameOf(ROWS_FROM_NEXT)].sort());
    expect((await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['b', 'c'], 2])).rows).toEqual([
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ]);
    expect((await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM_NEXT, [['b', 'c'], 2])).rows).toEqual([{ id: 'c', n: 3 }]);
  });

  it('runs a statement as written should its function fail to be created, and says why', async () => {
    const { db } = scratch;
    const errors: unknown[] = [];
    const broken = { ...ROWS_FROM, name: 'paygate_test_broken', returns: 'id text, n' }; // no type for n
    expect(await keepPlanned(db, [broken], { onError: (error) => errors.push(error) })).toBe(false);
    expect(String(errors[0])).toMatch(/syntax error|type/i);
    expect(await isKeptPlanned(db, broken)).toBe(false);
    expect((await runPlanCached<{ rows: unknown[] }>(db, broken, [['a'], 0])).rows).toEqual([{ id: 'a', n: 1 }]);
    // What was kept before stays kept.
    expect(await isKeptPlanned(db, ROWS_FROM)).toBe(true);
  });

  it('creates nothing when told not to: it finds the functions there are, and runs the rest as written', async () => {
    const { db } = scratch;
    // Another process's ROWS_FROM: the same function, not yet kept by this one.
    const found = { ...ROWS_FROM };
    const missing = { ...ROWS_FROM, name: 'paygate_test_never_created' };
    const errors: unknown[] = [];
    expect(await keepPlanned(db, [found, missing], { create: false, onError: (error) => errors.push(error) })).toBe(false);
    expect(String(errors[0])).toContain(`the functions ${functionNameOf(missing)} are missing, and this process creates none`);
    expect(await isKeptPlanned(db, found)).toBe(true);
    expect(await isKeptPlanned(db, missing)).toBe(false);
    expect(await functionsNamed(db, missing.name)).toEqual([]);
    expect((await runPlanCached<{ rows: unknown[] }>(db, missing, [['c'], 0])).rows).toEqual([{ id: 'c', n: 3 }]);
  });
});

describe.skipIf(!postgres)('statements kept planned by several processes of one PostgreSQL database', () => {
  it('creates each function once when processes start at once, and every one of them runs through it', async () => {
    const temp = await createTemporaryDatabase();
    const processes = [1, 2, 3, 4].map(() => createDatabase({ kind: 'postgres', url: temp.url }));
    try {
      await processes[0]!.raw('CREATE TABLE plan_cached_scratch (id text PRIMARY KEY, n int NOT NULL)');
      await processes[0]!.raw("INSERT INTO plan_cached_scratch VALUES ('a', 1)");
      const errors: unknown[] = [];
      const kept = await Promise.all(processes.map((db) => keepPlanned(db, [ROWS_FROM], { onError: (error) => errors.push(error) })));
      expect(errors).toEqual([]);
      expect(kept).toEqual([true, true, true, true]);
      expect((await functionsNamed(processes[0]!, ROWS_FROM.name)).map((f) => f.proname)).toEqual([functionNameOf(ROWS_FROM)]);
      for (const db of processes) expect((await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['a'], 0])).rows).toEqual([{ id: 'a', n: 1 }]);
    } finally {
      for (const db of processes) await db.destroy();
      await temp.drop();
    }
  });
});

describe.skipIf(!postgres)('the call of a kept statement on PostgreSQL', () => {
  it('is a named prepared statement: a connection parses and plans it once, then only binds and runs it', async () => {
    const scratch = await scratchDatabase('postgres');
    try {
      const { db } = scratch;
      expect(await keepPlanned(db, [ROWS_FROM], { onError: (error) => expect.fail(String(error)) })).toBe(true);
      // One transaction: one connection, whose prepared statements the view lists.
      await db.transaction(async (trx) => {
        for (const floor of [0, 2, 3]) await runPlanCached(trx, ROWS_FROM, [['a', 'b', 'c'], floor]);
        const { rows } = await trx.raw<{ rows: Array<{ statement: string; runs: number }> }>(
          'SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements WHERE name = ?',
          [functionNameOf(ROWS_FROM)],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.statement).toBe(`SELECT * FROM ${functionNameOf(ROWS_FROM)}($1::text[], $2::int)`);
        expect(Number(rows[0]!.runs)).toBe(3);
      });
    } finally {
      await scratch.drop();
    }
  });
});

it('refuses a statement whose parameter types do not match its placeholders', () => {
  expect(() => functionSql({ ...ROWS_FROM, name: 'paygate_test_mismatched', parameters: ['text[]'] })).toThrow(/2 parameters, and 1 types/);
});
