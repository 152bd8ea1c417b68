import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    // A child process, so that what it loads is only what an embedded database needs: the ESM
    // imports are recorded by a resolve hook, the CommonJS ones read from require's cache.
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-loads-'));
    try {
      const loads = path.join(dir, 'loads.txt');
      await writeFile(
        path.join(dir, 'hook.mjs'),
        `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(loads)}, r.url + '\\n'); return r; }`,
      );
      const built = pathToFileURL(path.resolve(fileURLToPath(import.meta.url), '../../../../dist/adapters/db/create-database.js')).href;
      const script = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});
const { createDatabase } = await import(${JSON.stringify(built)});
const db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
const { rows } = await db.raw('select 40 + 2 as answer');
await db.destroy();
appendFileSync(${JSON.stringify(loads)}, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n');
console.log(rows[0].answer);`;
      await writeFile(path.join(dir, 'open-embedded.mjs'), script);
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'open-embedded.mjs')], { cwd: dir });

      expect(stdout.trim()).toBe('42');
      const loaded = (await readFile(loads, 'utf8')).split('\n');
      expect(loaded.some((file) => file.includes('/node_modules/knex/'))).toBe(true); // the record works
      expect(loaded.filter((file) => /\/node_modules\/(pg|@electric-sql\/pglite|knex-pglite)\//.test(file))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
