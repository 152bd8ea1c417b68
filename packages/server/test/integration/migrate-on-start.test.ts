import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/adapters/db/create-database.js';
import { MIGRATION_ADVISORY_LOCK, MIGRATIONS, migrateToLatest, migrationSource } from '../../src/adapters/db/migration-source.js';
import { functionNameOf, isKeptPlanned } from '../../src/adapters/db/operations/plan-cached.js';
import { keepPaymentPathPlanned, PAYMENT_PATH_PLANNED } from '../../src/adapters/db/payment-path-plans.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { SEED_HEADERS, testEngines, type Engine } from '../helpers/gateway.js';
import { CLI_BIN, freePort } from '../helpers/processes.js';
import { createTemporaryDatabase } from '../helpers/services.js';

// PAYGATE_MIGRATE_ON_START=false (docs/deploy.md, "PgBouncer"): a process that does not migrate
// checks the schema with plain reads, refuses an out-of-date database, and never takes the
// migrators' session lock, so that it can run behind a transaction-mode pooler.

const engines = await testEngines();

type Target = { where: { databaseUrl: string | undefined; dataDir: string }; url: string | undefined; open: () => Knex };

async function tablesIn(db: Knex): Promise<string[]> {
  const rows = await db('information_schema.tables')
    .where({ table_schema: db.raw('current_schema()') })
    .pluck<string>('table_name');
  return rows.sort();
}

describe.each(engines)('PAYGATE_MIGRATE_ON_START=false on %s', (engine: Engine) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** An empty database: a new PostgreSQL database, or a PGlite folder (shared by each opener in turn). */
  async function freshTarget(): Promise<Target> {
    if (engine === 'postgres') {
      const temp = await createTemporaryDatabase();
      cleanups.push(temp.drop);
      return { where: { databaseUrl: temp.url, dataDir: 'memory' }, url: temp.url, open: () => createDatabase({ kind: 'postgres', url: temp.url }) };
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-migrate-on-start-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return { where: { databaseUrl: undefined, dataDir: dir }, url: undefined, open: () => createDatabase({ kind: 'pglite', dataDir: dir }) };
  }

  /** Runs `fn` on its own connection to the target, closed afterwards (PGlite's folder has one opener at a time). */
  async function onDatabase<T>(target: Target, fn: (db: Knex) => Promise<T>): Promise<T> {
    const db = target.open();
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }

  const start = (target: Target, migrateOnStart = false): Promise<Gateway> =>
    startGateway(
      loadConfig(
        {
          environment: 'development',
          testMode: true,
          testProcessingDelayMs: 0,
          ...target.where,
          redisUrl: undefined,
          logLevel: 'silent',
          migrateOnStart,
        },
        {},
      ),
      { role: 'all', listen: false },
    );

  const startError = (target: Target) =>
    start(target).then(
      async (gateway) => {
        await gateway.stop();
        return undefined;
      },
      (error: unknown) => error,
    );

  it('refuses a database never migrated, naming every migration and what to do, and creates nothing', async () => {
    // Given an empty database
    const target = await freshTarget();

    // When a process that does not migrate starts on it
    const error = await startError(target);

    // Then it refuses with a configuration error naming each missing migration and the fix
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`PAYGATE_MIGRATE_ON_START=false: the database lacks ${MIGRATIONS.length} migration(s)`);
    for (const m of MIGRATIONS) expect(message).toContain(m.name);
    expect(message).toContain('Run `pg-cli migrate` against a direct connection first');
    // And the database is still empty: not even knex's migration tables were created
    expect(await onDatabase(target, tablesIn)).toEqual([]);
  });

  it('refuses a database one migration behind, naming only that one, and runs nothing', async () => {
    // Given a database migrated up to all but the last migration
    const target = await freshTarget();
    await onDatabase(target, async (db) => {
      for (let i = 0; i < MIGRATIONS.length - 1; i += 1) await db.migrate.up({ migrationSource });
    });

    // When a process that does not migrate starts on it
    const error = await startError(target);

    // Then it names the missing migration alone, and the database is still one behind
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`lacks 1 migration(s) (${MIGRATIONS.at(-1)!.name})`);
    expect(await onDatabase(target, (db) => db('knex_migrations').pluck<string>('name'))).toEqual(MIGRATIONS.slice(0, -1).map((m) => m.name));
  });

  it('starts and serves once the database has been migrated', async () => {
    // Given a database brought up to date by `pg-cli migrate`'s function
    const target = await freshTarget();
    await onDatabase(target, migrateToLatest);

    // When a process that does not migrate starts on it
    const gateway = await start(target);
    try {
      // Then it serves: health, and a merchant's request that writes to the database
      expect((await gateway.app!.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const order = await gateway.app!.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...SEED_HEADERS, 'content-type': 'application/json' },
        payload: JSON.stringify({ amount: 50000, currency: 'INR', receipt: 'migrate-on-start' }),
      });
      expect(order.statusCode).toBe(201);
    } finally {
      await gateway.stop();
    }
  });

  it("finds the payment path's functions that `pg-cli migrate` created, and creates none itself", async () => {
    // Given a database migrated without the payment path's functions (an older `pg-cli migrate`)
    const target = await freshTarget();
    await onDatabase(target, migrateToLatest);
    const paymentPathFunctions = (db: Knex) =>
      db('pg_proc')
        .whereIn(
          'proname',
          PAYMENT_PATH_PLANNED.map((s) => functionNameOf(s)),
        )
        .pluck<string>('proname');

    // When a process that does not migrate starts on it, then it runs the statements as written and creates nothing
    const findOnly = await start(target);
    try {
      for (const statement of PAYMENT_PATH_PLANNED) expect(await isKeptPlanned(findOnly.deps.db, statement)).toBe(false);
      expect(await paymentPathFunctions(findOnly.deps.db)).toEqual([]);
    } finally {
      await findOnly.stop();
    }

    // When this version's `pg-cli migrate` has run, then such a process runs every statement through its function
    await onDatabase(target, (db) => keepPaymentPathPlanned(db, { create: true, warn: (message) => expect.fail(message) }));
    const after = await start(target);
    try {
      for (const statement of PAYMENT_PATH_PLANNED) expect(await isKeptPlanned(after.deps.db, statement)).toBe(true);
      expect((await paymentPathFunctions(after.deps.db)).sort()).toEqual(PAYMENT_PATH_PLANNED.map((s) => functionNameOf(s)).sort());
    } finally {
      await after.stop();
    }
  });

  // Another session holding the lock needs a server: PGlite has one connection. (Not defined there, rather than skipped.)
  if (engine === 'postgres') {
    it('never takes the migrators’ advisory lock on an up-to-date database: starts while another session holds it, where a migrating start on a database behind waits', async () => {
      // Given a migrated database whose migrators' lock another session holds (as a migrator
      // stuck behind a transaction pooler would)
      const target = await freshTarget();
      await onDatabase(target, migrateToLatest);
      const holder = new pg.Client({ connectionString: target.url });
      await holder.connect();
      cleanups.push(() => holder.end());
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK]);
      /** Sessions of `client`'s database queued on an advisory lock. */
      const advisoryWaitersOn = async (client: pg.Client) =>
        Number(
          (
            await client.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            )
          ).rows[0]!.n,
        );
      const waitingForAdvisoryLocks = () => advisoryWaitersOn(holder);

      // When a process that does not migrate starts, then it starts and serves while the lock is held
      const gateway = await start(target);
      try {
        expect((await gateway.app!.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
        expect(await waitingForAdvisoryLocks()).toBe(0);
      } finally {
        await gateway.stop();
      }

      // And so does a migrating start: with nothing to migrate, it reads and goes on (two reads
      // instead of the lock and knex's migrator: a third of a warm `pg-cli dev` start)
      const upToDate = await start(target, true);
      try {
        expect((await upToDate.app!.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
        expect(await waitingForAdvisoryLocks()).toBe(0);
      } finally {
        await upToDate.stop();
      }

      // While a migrating start on a database one migration behind queues on that very lock until it is freed
      const behind = await freshTarget();
      await onDatabase(behind, async (db) => {
        for (let i = 0; i < MIGRATIONS.length - 1; i += 1) await db.migrate.up({ migrationSource });
      });
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK]);
      const behindHolder = new pg.Client({ connectionString: behind.url });
      await behindHolder.connect();
      cleanups.push(() => behindHolder.end());
      await behindHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK]);
      const migrating = start(behind, true);
      while ((await advisoryWaitersOn(behindHolder)) === 0) await new Promise((r) => setTimeout(r, 20));
      await behindHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK]);
      const migrated = await migrating;
      try {
        expect(await onDatabase(behind, (db) => db('knex_migrations').pluck<string>('name'))).toEqual(MIGRATIONS.map((m) => m.name));
      } finally {
        await migrated.stop();
      }
    });

    it('`pg-cli worker` refuses an unmigrated database with exit code 2 and the message (built CLI: npm run build first)', async () => {
      // Given an empty database, and a REDIS_URL nothing listens on: the refusal comes before Redis
      const target = await freshTarget();
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('PAYGATE_') && !k.startsWith('TEST_') && k !== 'LOG_LEVEL'),
      );
      const env = { ...inherited, DATABASE_URL: target.url!, REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PAYGATE_MIGRATE_ON_START: 'false' };

      // When the worker starts
      const result = await promisify(execFile)(process.execPath, [CLI_BIN, 'worker'], { env, timeout: 30_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number | null; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

      // Then it exits 2 as other configuration errors do, saying what is missing and what to do, and creates nothing
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`the database lacks ${MIGRATIONS.length} migration(s)`);
      expect(result.stderr).toContain('Run `pg-cli migrate` against a direct connection first');
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.stdout).not.toMatch(/ready/);
      expect(await onDatabase(target, tablesIn)).toEqual([]);
    });
  }
});
