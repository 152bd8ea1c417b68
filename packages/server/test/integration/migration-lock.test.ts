import { afterAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createDatabase } from '../../src/adapters/db/create-database.js';
import { MIGRATIONS, migrateToLatest, migrationSource } from '../../src/adapters/db/migration-source.js';
import { openTestDatabase, testEngines, type Engine } from '../helpers/gateway.js';

const engines = await testEngines();

describe.each(engines)('migration lock on %s', (engine: Engine) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function freshDatabase(): Promise<{ db: Knex; url: string | undefined }> {
    const { db, url, close } = await openTestDatabase(engine);
    cleanups.push(close);
    return { db, url };
  }

  it('recovers the lock a crashed migrator left behind and runs what is left', async () => {
    // Given a database migrated up to all but the last migration, whose knex lock row is still
    // set, as a process killed in the middle of `migrate` leaves it
    const { db } = await freshDatabase();
    for (let i = 0; i < MIGRATIONS.length - 1; i += 1) await db.migrate.up({ migrationSource });
    await db('knex_migrations_lock').update({ is_locked: 1 });

    // When the next process starts and migrates
    const ran = await migrateToLatest(db);

    // Then it succeeds, runs the missing migration, and leaves the lock free
    expect(ran).toEqual([MIGRATIONS.at(-1)!.name]);
    expect((await db('knex_migrations_lock').select('is_locked')).map((r: { is_locked: number }) => r.is_locked)).toEqual([0]);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  // Several pools need a server: PGlite has one connection. (Not defined there, rather than skipped.)
  if (engine === 'postgres')
    it('lets concurrent migrators all succeed, running each migration once', async () => {
      // Given a fresh database and four processes' worth of connection pools on it
      const { url } = await freshDatabase();
      const pools = Array.from({ length: 4 }, () => createDatabase({ kind: 'postgres', url: url! }));
      cleanups.push(async () => {
        await Promise.all(pools.map((p) => p.destroy()));
      });

      // When they all migrate at once
      const results = await Promise.allSettled(pools.map((p) => migrateToLatest(p)));

      // Then none fails, and between them every migration ran exactly once
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const ran = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      expect(ran.sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      const recorded = await pools[0]!('knex_migrations').count<{ count: string }[]>({ count: '*' });
      expect(Number(recorded[0]!.count)).toBe(MIGRATIONS.length);
    });
});
