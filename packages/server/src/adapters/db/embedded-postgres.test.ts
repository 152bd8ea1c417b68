import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_CLUSTER_FILES, openEmbeddedPostgres } from './embedded-postgres.js';
import { MIGRATIONS } from './migration-source.js';
import { functionNameOf } from './operations/plan-cached.js';
import { PAYMENT_PATH_PLANNED } from './payment-path-plans.js';

describe('openEmbeddedPostgres', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const newDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-embedded-'));
    dirs.push(dir);
    return dir;
  };

  it('has the clusters the build made (npm run build: scripts/build-embedded-clusters.mjs)', () => {
    // Without them every new data dir and in-memory database runs initdb (5 s on 2 cores)
    expect(existsSync(EMBEDDED_CLUSTER_FILES.initdb)).toBe(true);
    expect(existsSync(EMBEDDED_CLUSTER_FILES.migrated)).toBe(true);
  });

  it("starts a new database migrated when asked (a gateway that migrates on start), with the payment path's functions, else empty as initdb leaves it", async () => {
    const migrated = openEmbeddedPostgres(await newDir(), { migrated: true });
    const empty = openEmbeddedPostgres('memory');
    try {
      const recorded = await migrated.pglite.query<{ name: string }>('SELECT name FROM knex_migrations ORDER BY id');
      expect(recorded.rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect((await migrated.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM payments')).rows).toEqual([{ n: 0 }]);
      // with this build's payment path functions, which a gateway then only finds (see plan-cached.ts)
      const functions = await migrated.pglite.query<{ proname: string }>("SELECT proname FROM pg_proc WHERE proname LIKE 'paygate\\_%'");
      expect(functions.rows.map((r) => r.proname).sort()).toEqual(PAYMENT_PATH_PLANNED.map((s) => functionNameOf(s)).sort());
      const tables = await empty.pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all([migrated.pglite.close(), empty.pglite.close()]);
    }
  });

  it('gives a new data dir a working cluster, and keeps what was written there when it is opened again', async () => {
    // Given a new folder, opened (it gets the build's cluster)
    const dir = await newDir();
    const first = openEmbeddedPostgres(dir);
    await first.pglite.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42);');
    await first.pglite.close();
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);

    // When it is opened again (it has a cluster now: nothing may be unpacked over it)
    const second = openEmbeddedPostgres(dir);
    try {
      // Then the row written before is there
      expect((await second.pglite.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    } finally {
      await second.pglite.close();
    }
  });

  it('starts an in-memory database empty: no table of ours, whatever another one holds', async () => {
    // Given an in-memory database with a table in it
    const one = openEmbeddedPostgres('memory');
    await one.pglite.exec('CREATE TABLE only_here (n int)');
    // When another is opened
    const two = openEmbeddedPostgres('memory');
    try {
      // Then it has no table in its public schema
      const { rows } = await two.pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all([one.pglite.close(), two.pglite.close()]);
    }
  });
});
