import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesLoadedBy } from '../../../test/helpers/loaded-files.js';
import { createDatabase } from './create-database.js';

describe('EmbeddedKnexClient (knex over the embedded engine)', () => {
  let db: Knex;
  beforeAll(async () => {
    db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    await db.schema.createTable('things', (t) => {
      t.integer('id').primary();
      t.text('name').notNullable();
    });
    await db('things').insert([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
      { id: 3, name: 'three' },
    ]);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('answers updates and deletes with the number of rows they touched, as on PostgreSQL', async () => {
    expect(await db('things').where('id', '>', 1).update({ name: 'many' })).toBe(2);
    expect(await db('things').where({ id: 99 }).del()).toBe(0);
  });

  it('answers first() with one row and pluck() with one column', async () => {
    expect(await db('things').where({ id: 1 }).first()).toEqual({ id: 1, name: 'one' });
    expect(await db('things').orderBy('id').pluck('id')).toEqual([1, 2, 3]);
  });

  it('keeps a rolled-back transaction out and a committed one in', async () => {
    await expect(
      db.transaction(async (trx) => {
        await trx('things').insert({ id: 10, name: 'ten' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.transaction(async (trx) => trx('things').insert({ id: 11, name: 'eleven' }));
    expect(await db('things').whereIn('id', [10, 11]).pluck('id')).toEqual([11]);
  });

  it("is given the engine's PostgreSQL major version, so that knex does not ask for it at every start", async () => {
    const { rows } = (await db.raw(`SELECT current_setting('server_version_num')::int / 10000 AS major`)) as { rows: Array<{ major: number }> };
    expect((db.client as { version?: string }).version).toBe(String(rows[0]!.major));
  });

  it("rejects with PostgreSQL's error code, which the gateway's error mapping reads", async () => {
    await expect(db('things').insert({ id: 1, name: 'again' })).rejects.toMatchObject({ code: '23505' });
  });
});

describe('embedded mode on the main thread', () => {
  it("loads neither node-postgres nor PGlite's JavaScript there (PGlite runs on its own thread)", async () => {
    // A child process, so that what it loads is only what an embedded database needs.
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-embedded-'));
    try {
      const built = pathToFileURL(path.resolve(fileURLToPath(import.meta.url), '../../../../dist/adapters/db/create-database.js')).href;
      const script = path.join(dir, 'open-embedded.mjs');
      await writeFile(
        script,
        `const { createDatabase } = await import(${JSON.stringify(built)});
const db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
const { rows } = await db.raw('select 40 + 2 as answer');
await db.destroy();
console.log(rows[0].answer);`,
      );
      const { files, stdout } = await filesLoadedBy([script]);

      expect(stdout.trim()).toBe('42');
      expect(files.some((file) => file.includes('/node_modules/knex/'))).toBe(true); // the record works
      expect(files.filter((file) => /\/node_modules\/(pg|@electric-sql\/pglite|knex-pglite)\//.test(file))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
