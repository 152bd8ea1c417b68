import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createDatabase } from '../create-database.js';
import { RECORD_DELIVERY_ATTEMPTS } from './deliveries.js';
import { PAYMENT_PATH_STATEMENTS } from './payments.js';
import { RELAY_STATEMENTS } from './relay.js';
import { functionSql, isKeptPlanned, keepPlanned, runPlanCached, type PlanCachedStatement } from './plan-cached.js';

/** Rows of a scratch table by a key list and a floor: a statement with a parameter of each kind. */
const ROWS_FROM: PlanCachedStatement = {
  name: 'paygate_test_rows_from',
  sql: 'SELECT id, n FROM plan_cached_scratch WHERE id = ANY (?::text[]) AND n >= ? ORDER BY id',
  parameters: ['text[]', 'int'],
  returns: 'id text, n int',
};

describe('statements kept planned (PL/pgSQL functions of the session)', () => {
  let db: Knex;
  beforeAll(async () => {
    db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    await db.raw('CREATE TABLE plan_cached_scratch (id text PRIMARY KEY, n int NOT NULL)');
    await db.raw("INSERT INTO plan_cached_scratch VALUES ('a', 1), ('b', 2), ('c', 3)");
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('answers through the function what the statement answers as written', async () => {
    expect(await isKeptPlanned(db, ROWS_FROM)).toBe(false);
    const asWritten = await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['a', 'b', 'c'], 2]);
    expect(await keepPlanned(db, [ROWS_FROM], () => undefined)).toBe(true);
    expect(await isKeptPlanned(db, ROWS_FROM)).toBe(true);
    const kept = await runPlanCached<{ rows: unknown[] }>(db, ROWS_FROM, [['a', 'b', 'c'], 2]);
    expect(kept.rows).toEqual([
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ]);
    expect(kept.rows).toEqual(asWritten.rows);
    // ...in a transaction as well (it shares the database's session)
    await db.transaction(async (trx) => {
      expect(await isKeptPlanned(trx, ROWS_FROM)).toBe(true);
      expect((await runPlanCached<{ rows: unknown[] }>(trx, ROWS_FROM, [['a'], 0])).rows).toEqual([{ id: 'a', n: 1 }]);
    });
  });

  it('plans once, generic, with sequential scans disabled, so that a plan made on an empty table looks rows up by index', async () => {
    const { rows } = await db.raw<{ rows: Array<{ proconfig: string[] }> }>("SELECT proconfig FROM pg_proc WHERE proname = 'paygate_test_rows_from'");
    expect(rows[0]?.proconfig).toEqual(['plan_cache_mode=force_generic_plan', 'enable_seqscan=off']);
  });

  it('runs the statements as written should the functions not be created, and says why', async () => {
    const other = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    try {
      await other.raw('CREATE TABLE plan_cached_scratch (id text PRIMARY KEY, n int NOT NULL)');
      const errors: unknown[] = [];
      const broken = { ...ROWS_FROM, name: 'paygate_test_broken', returns: 'id text, n' }; // no type for n
      expect(await keepPlanned(other, [broken], (error) => errors.push(error))).toBe(false);
      expect(String(errors[0])).toMatch(/syntax error|type/i);
      expect(await isKeptPlanned(other, broken)).toBe(false);
      expect((await runPlanCached<{ rows: unknown[] }>(other, broken, [['a'], 0])).rows).toEqual([]);
    } finally {
      await other.destroy();
    }
  });

  it("keeps the payment path's statements planned on every embedded database", async () => {
    const statements = [...PAYMENT_PATH_STATEMENTS, RECORD_DELIVERY_ATTEMPTS, ...RELAY_STATEMENTS];
    for (const statement of statements) expect(await isKeptPlanned(db, statement)).toBe(true);
    expect(statements.map((s) => s.name)).toEqual([
      'paygate_insert_payments',
      'paygate_settle_payments',
      'paygate_settle_payments_leased',
      'paygate_record_delivery_attempts',
      'paygate_claim_relay_work',
    ]);
  });

  it('refuses a statement whose parameter types do not match its placeholders', () => {
    expect(() => functionSql({ ...ROWS_FROM, parameters: ['text[]'] })).toThrow(/2 parameters, and 1 types/);
  });
});
