import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { createDatabase, databaseTargetFrom } from './create-database.js';
import { openEmbeddedPostgres } from './embedded-postgres.js';

describe('databaseTargetFrom', () => {
  it('sizes the PostgreSQL pool from PAYGATE_DATABASE_POOL_SIZE (the number docs/deploy.md multiplies by the process count)', async () => {
    const config = loadConfig({}, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PAYGATE_DATABASE_POOL_SIZE: '7' });
    const target = databaseTargetFrom(config);
    expect(target).toMatchObject({ kind: 'postgres', poolSize: 7 });
    // The pool opens connections lazily (min 0): nothing connects to the unreachable URL here.
    const db = createDatabase(target);
    try {
      expect((db.client.config as Knex.Config).pool?.max).toBe(7);
    } finally {
      await db.destroy();
    }
  });
});

describe('createDatabase on the embedded engine', () => {
  it('opens PGlite with small shared buffers (the 128MB default took a third of a reopen)', async () => {
    const db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    try {
      const { rows } = (await db.raw('SHOW shared_buffers')) as { rows: Array<{ shared_buffers: string }> };
      expect(rows[0]!.shared_buffers).toBe('16MB');
    } finally {
      await db.destroy();
    }
  });

  it('uses the database already being opened for its data dir (pg-cli dev opens it before loading the gateway)', async () => {
    // Given an embedded database being opened for the target's data dir
    const opening = openEmbeddedPostgres('memory');

    // When knex is created for that target, with it
    const db = createDatabase({ kind: 'pglite', dataDir: 'memory' }, opening);
    try {
      // Then knex works on that very engine: what one writes, the other reads
      await db.raw('CREATE TABLE opened_early (n int)');
      await db('opened_early').insert({ n: 7 });
      expect((await opening.pglite.query<{ n: number }>('SELECT n FROM opened_early')).rows).toEqual([{ n: 7 }]);
    } finally {
      await db.destroy();
    }
    // And closing knex closes it
    expect(opening.pglite.closed).toBe(true);
  });

  it('closes a database opened for another data dir, and opens its own', async () => {
    // Given an embedded database being opened for another folder
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-opened-elsewhere-'));
    const elsewhere = openEmbeddedPostgres(dir);
    try {
      // When knex is created for an in-memory target with it
      const db = createDatabase({ kind: 'pglite', dataDir: 'memory' }, elsewhere);
      try {
        // Then knex serves from its own engine, and the other one is closed, not left running
        await db.raw('CREATE TABLE mine (n int)');
        await vi.waitFor(() => expect(elsewhere.pglite.closed).toBe(true), { timeout: 20_000 });
      } finally {
        await db.destroy();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
