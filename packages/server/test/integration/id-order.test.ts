import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import { openTestDatabase, testEngines } from '../helpers/gateway.js';

const engines = await testEngines();

// Seconds after 2020-01-01 at which ids are made: carries from digits to letters and from one
// place to the next, a year, and the last second before the time part wraps.
const SECONDS = [0, 1, 9, 10, 35, 36, 1_295, 1_296, 3_600, 86_400 * 366, 36 ** 5, 36 ** 6 - 1];
const EPOCH_MS = Date.UTC(2020, 0, 1);

// An index takes new ids at its right edge only if the database orders them as they were made;
// newId's comment says why that matters. The database's collation decides that order, not
// JavaScript's, so it is checked in the database: its default, C, and the ICU ones it has.
describe.each(engines)('ids in order on %s', (engine) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('sort by the second they were made under every collation tried', async () => {
    const { db, close } = await openTestDatabase(engine);
    cleanups.push(close);
    const made = SECONDS.map((s) => newId('payment', undefined, EPOCH_MS + s * 1000));
    // Handed to the database out of order, so that its sort has work to do
    const shuffled = made.map((id, i) => ({ id, key: (i * 7) % made.length })).sort((a, b) => a.key - b.key);
    expect(shuffled.map((s) => s.id)).not.toEqual(made);

    const icu = (
      await db.raw<{ rows: { collname: string }[] }>("select collname from pg_collation where collname in ('und-x-icu', 'en-US-x-icu') order by collname")
    ).rows.map((r) => r.collname);
    const collations = ['(default)', 'C', ...icu];
    const values = shuffled.map(() => '(?)').join(', ');
    for (const collation of collations) {
      const order = collation === '(default)' ? 'id' : `id collate "${collation}"`;
      const { rows } = await db.raw<{ rows: { id: string }[] }>(
        `select id from (values ${values}) as t(id) order by ${order}`,
        shuffled.map((s) => s.id),
      );
      expect(
        rows.map((r) => r.id),
        collation,
      ).toEqual(made);
    }
  });
});
