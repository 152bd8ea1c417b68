import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedPostgres } from './embedded-postgres.js';
import { EmbeddedPostgresThread, WORKER_FILE, type EngineReply, type EngineRequest } from './embedded-postgres-thread.js';

const run = promisify(execFile);

describe('the embedded database on its own thread', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('hands parameters and rows across as PGlite gives them: dates, bytes, JSON, nulls, numbers', async () => {
    const { pglite } = openEmbeddedPostgres('memory');
    try {
      const at = new Date('2026-11-30T06:00:00.123Z');
      const bytes = new Uint8Array([0, 1, 254, 255]);
      const { rows, fields, affectedRows } = await pglite.query<Record<string, unknown>>(
        'SELECT $1::timestamptz AS at, $2::bytea AS bytes, $3::jsonb AS doc, $4::text AS nothing, 9007199254740991::int8 AS big, 42 AS n',
        [at, bytes, JSON.stringify({ a: [1, 'two'] }), null],
      );
      expect(rows).toEqual([{ at, bytes, doc: { a: [1, 'two'] }, nothing: null, big: 9007199254740991, n: 42 }]);
      expect(rows[0]!['at']).toBeInstanceOf(Date);
      expect(fields.map((f) => f.name)).toEqual(['at', 'bytes', 'doc', 'nothing', 'big', 'n']);
      expect(affectedRows).toBe(0);
      // exec: several statements, one result each
      const results = await pglite.exec('CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT n FROM t ORDER BY n');
      expect(results.map((r) => r.rows)).toEqual([[], [], [{ n: 1 }, { n: 2 }]]);
      expect((await pglite.query('SELECT n FROM t', [], { rowMode: 'array' })).rows).toEqual([[1], [2]]);
    } finally {
      await pglite.close();
    }
    expect(pglite.closed).toBe(true);
  });

  it("gives a failed statement's error with PostgreSQL's fields (what the API classifies it by), and goes on serving", async () => {
    const { pglite } = openEmbeddedPostgres('memory');
    try {
      await pglite.exec('CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)');
      await pglite.query('INSERT INTO accounts VALUES ($1)', ['a@example.test']);
      const error = await pglite.query('INSERT INTO accounts VALUES ($1)', ['a@example.test']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({
        message: expect.stringContaining('duplicate key value violates unique constraint "accounts_email_key"'),
        code: '23505',
        constraint: 'accounts_email_key',
        table: 'accounts',
      });
      expect((await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows).toEqual([{ n: 1 }]);
    } finally {
      await pglite.close();
    }
  });

  it('answers the requests that reach its thread while it is still opening, after it opens and in the order they came', async () => {
    // Given the thread itself, asked three dependent statements at once, before it has said it is ready
    const worker = new Worker(WORKER_FILE, { workerData: { dataDir: 'memory', clusterFile: undefined, settings: [] } });
    const replies: EngineReply[] = [];
    const allIn = new Promise<void>((resolve) =>
      worker.on('message', (reply: EngineReply) => {
        replies.push(reply);
        if (replies.length === 4) resolve();
      }),
    );
    const requests: EngineRequest[] = [
      { kind: 'exec', id: 1, sql: 'CREATE TABLE steps (n int)' },
      { kind: 'query', id: 2, sql: 'INSERT INTO steps VALUES ($1)', params: [7], rowMode: undefined },
      { kind: 'query', id: 3, sql: 'SELECT n FROM steps', params: [], rowMode: undefined },
    ];
    for (const request of requests) worker.postMessage(request);
    try {
      await allIn;
      // Then it says it is ready first, and each statement ran after the one before it
      expect(replies.map((r) => r.kind)).toEqual(['ready', 'result', 'result', 'result']);
      expect(replies.slice(1).map((r) => ('id' in r ? r.id : 0))).toEqual([1, 2, 3]);
      expect(replies[3]).toMatchObject({ result: { rows: [{ n: 7 }] } });
    } finally {
      await worker.terminate();
    }
  });

  it('refuses at once a data dir that cannot be made (a file is in the way)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-thread-'));
    dirs.push(dir);
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    expect(() => openEmbeddedPostgres(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });

  it('reports a database its thread failed to open from every statement, and ends the thread', async () => {
    // Given a thread told to open a "data dir" that is a file (openEmbeddedPostgres checks that first)
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-thread-'));
    dirs.push(dir);
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const pglite = new EmbeddedPostgresThread({ dataDir: file, clusterFile: undefined, settings: [] });
    // Then opening fails with the file system's reason, and so does a statement
    await expect(pglite.waitReady).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(pglite.query('SELECT 1')).rejects.toMatchObject({ code: 'EEXIST' });
    await pglite.close(); // nothing left to close: it resolves
  });

  it('holds the process while a statement is pending, and not once idle (a database nobody closed does not keep a script running)', async () => {
    // Given a script that opens a database, runs one statement, prints its answer, and never closes it
    const script = [
      `import { openEmbeddedPostgres } from ${JSON.stringify(new URL('../../../dist/embedded-postgres.js', import.meta.url).href)};`,
      `const { pglite } = openEmbeddedPostgres('memory');`,
      `const { rows } = await pglite.query('SELECT 6 * 7 AS answer');`,
      `console.log(JSON.stringify(rows));`,
    ].join('\n');
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-thread-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'script.mjs'), script);
    // When it runs, Then it prints the answer (the pending statement held the process) and exits by itself
    const { stdout } = await run(process.execPath, [path.join(dir, 'script.mjs')], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual([{ answer: 42 }]);
  });
});
