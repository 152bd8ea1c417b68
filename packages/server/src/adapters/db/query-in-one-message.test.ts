import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_CLUSTER_FILES } from './embedded-postgres.js';
import { queryInOneMessage, toWireValue } from './query-in-one-message.js';

describe('a parameter as text, by its JavaScript type', () => {
  it('sends scalars as node-postgres does, dates in UTC and bytes as hex', () => {
    expect(toWireValue('plain')).toBe('plain');
    expect(toWireValue(42)).toBe('42');
    expect(toWireValue(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(toWireValue(true)).toBe('true');
    expect(toWireValue(null)).toBeNull();
    expect(toWireValue(undefined)).toBeNull();
    expect(toWireValue(new Date('2026-12-07T10:00:00.5+02:00'))).toBe('2026-12-07T08:00:00.500Z');
    expect(toWireValue(new Uint8Array([0, 15, 255]))).toBe('\\x000fff');
    expect(toWireValue({ a: [1, 'two'], big: 7n })).toBe('{"a":[1,"two"],"big":"7"}');
  });

  it('makes arrays PostgreSQL array literals, quoting each element and escaping quotes and backslashes', () => {
    expect(toWireValue([])).toBe('{}');
    expect(toWireValue(['a', 'b"c', 'd\\e', null])).toBe('{"a","b\\"c","d\\\\e",NULL}');
    expect(toWireValue([[1, 2], [3]])).toBe('{{"1","2"},{"3"}}');
    expect(toWireValue([new Date('2026-12-07T08:00:00Z')])).toBe('{"2026-12-07T08:00:00.000Z"}');
  });
});

// PGlite on this thread (not the embedded database's own), to compare with its `query`.
describe('a statement in one message, against PGlite', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite({ loadDataDir: new Blob([readFileSync(EMBEDDED_CLUSTER_FILES.initdb)], { type: 'application/x-gzip' }) });
    await pglite.exec(
      `CREATE TABLE things (id text PRIMARY KEY, tags text[] NOT NULL, doc jsonb, at timestamptz, n int8, ok boolean, bytes bytea);
       CREATE FUNCTION add_thing(p_id text, p_tags text[], p_doc jsonb) RETURNS TABLE (id text, tags text[], doc jsonb)
         LANGUAGE sql AS $$ INSERT INTO things (id, tags, doc) VALUES (p_id, p_tags, p_doc) RETURNING id, tags, doc $$;`,
    );
  }, 30_000);
  afterAll(async () => {
    await pglite.close();
  });

  it("gives what PGlite's own query gives for each kind of parameter and column", async () => {
    const at = new Date('2026-11-30T06:00:00.123Z');
    const sql = `INSERT INTO things (id, tags, doc, at, n, ok, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 RETURNING id, tags, doc, at, n, ok, bytes, tags[2] AS second`;
    const row = (id: string) => [
      id,
      ['a', 'quote " and \\ backslash', 'with,comma'],
      JSON.stringify({ a: [1, 'two'] }),
      at,
      9007199254740991,
      true,
      new Uint8Array([0, 1, 255]),
    ];
    const theirs = await pglite.query(sql, row('theirs'));
    const ours = await queryInOneMessage(pglite, sql, row('ours'), undefined);
    expect(ours.rows).toEqual([{ ...(theirs.rows[0] as object), id: 'ours' }]);
    expect(ours.rows[0]).toMatchObject({ tags: ['a', 'quote " and \\ backslash', 'with,comma'], second: 'quote " and \\ backslash', at, ok: true });
    expect(ours.fields).toEqual(theirs.fields);
    expect(ours.affectedRows).toBe(1);
    expect(ours.affectedRows).toBe(theirs.affectedRows);
  });

  it('runs a function with its rows as objects or as arrays, and counts the rows a statement changed', async () => {
    const added = await queryInOneMessage(pglite, 'SELECT * FROM add_thing($1, $2, $3)', ['fn', ['x', null], { k: 'v' }], undefined);
    expect(added.rows).toEqual([{ id: 'fn', tags: ['x', null], doc: { k: 'v' } }]);
    const asArrays = await queryInOneMessage(pglite, 'SELECT id, doc FROM things WHERE id = ANY ($1) ORDER BY id', [['fn', 'no-such-thing']], 'array');
    expect(asArrays.rows).toEqual([['fn', { k: 'v' }]]);
    const updated = await queryInOneMessage(pglite, 'UPDATE things SET n = $1 WHERE id = ANY ($2)', [7, ['fn', 'theirs']], undefined);
    expect(updated.affectedRows).toBe(2);
    expect(updated.rows).toEqual([]);
  });

  it('reads texts of any length and alphabet, and replies of many rows, as PGlite does', async () => {
    const sql = 'SELECT n, repeat($1, n) AS text, n::text || $2 AS label FROM generate_series(1, 400) AS n';
    const params = ['é€😀', ' naïve «quoted» "and" \\ back'];
    const theirs = await pglite.query(sql, params);
    const ours = await queryInOneMessage(pglite, sql, params, undefined);
    expect(ours.rows).toHaveLength(400);
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows[399]).toEqual({ n: 400, text: 'é€😀'.repeat(400), label: '400 naïve «quoted» "and" \\ back' });
  });

  it("throws PostgreSQL's error with its fields and the statement, and the next statement runs", async () => {
    const sql = 'INSERT INTO things (id, tags) VALUES ($1, $2)';
    await queryInOneMessage(pglite, sql, ['dup', []], undefined);
    const error = await queryInOneMessage(pglite, sql, ['dup', []], undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'things_pkey', table: 'things', query: sql });
    const theirs = await pglite.query(sql, ['dup', []]).catch((e: unknown) => e);
    const fieldsOf = (e: unknown) =>
      Object.fromEntries(Object.entries(e as object).filter(([k, v]) => !['params', 'queryOptions'].includes(k) && v !== undefined));
    expect(fieldsOf(error)).toEqual(fieldsOf(theirs));
    expect([(error as Error).name, (error as Error).message]).toEqual([(theirs as Error).name, (theirs as Error).message]);
    const bad = await queryInOneMessage(pglite, 'SELECT $1::int AS n', ['not a number'], undefined).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: '22P02' });
    expect((await queryInOneMessage(pglite, 'SELECT count(*)::int AS n FROM things WHERE id = $1', ['dup'], undefined)).rows).toEqual([{ n: 1 }]);
  });

  it('keeps a transaction across statements, and a failed one rolls back', async () => {
    await queryInOneMessage(pglite, 'BEGIN', [], undefined);
    await queryInOneMessage(pglite, 'INSERT INTO things (id, tags) VALUES ($1, $2)', ['in-tx', []], undefined);
    const failed = await queryInOneMessage(pglite, 'INSERT INTO things (id, tags) VALUES ($1, $2)', ['in-tx', []], undefined).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: '23505' });
    const aborted = await queryInOneMessage(pglite, 'SELECT 1', [], undefined).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: '25P02' }); // in_failed_sql_transaction, as on a server
    await queryInOneMessage(pglite, 'ROLLBACK', [], undefined);
    expect((await queryInOneMessage(pglite, 'SELECT count(*)::int AS n FROM things WHERE id = $1', ['in-tx'], undefined)).rows).toEqual([{ n: 0 }]);
  });
});
