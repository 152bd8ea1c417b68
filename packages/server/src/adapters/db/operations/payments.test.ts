import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { findPaymentsToSettle } from './payments.js';

/** A knex handle that records each statement's name and bindings, and finds every id asked for. */
function recordingDb() {
  const statements: Array<{ name: string | undefined; sql: string; bindings: unknown[] }> = [];
  const db = {
    raw(sql: string, bindings: unknown[]) {
      const statement = { name: undefined as string | undefined, sql, bindings };
      statements.push(statement);
      const asked = bindings.at(-1);
      const ids = Array.isArray(asked) ? (asked as string[]) : [asked as string];
      const run = Promise.resolve({ rows: ids.map((id) => ({ id, status: 'pending' })) });
      return Object.assign(run, {
        options(o: { name: string }) {
          statement.name = o.name;
          return run;
        },
      });
    },
  };
  return { db: db as unknown as Knex, statements };
}

describe("a worker's read of the payments its jobs did not carry", () => {
  it('reads one payment by its prepared lookup, several by one statement planned for the batch', async () => {
    const { db, statements } = recordingDb();
    expect(await findPaymentsToSettle({ db, ids: ['pay_1'] })).toEqual([{ id: 'pay_1', status: 'pending' }]);
    expect((await findPaymentsToSettle({ db, ids: ['pay_1', 'pay_2'] })).map((r) => r.id)).toEqual(['pay_1', 'pay_2']);
    expect(statements.map((s) => [s.name, s.bindings])).toEqual([
      ['find_payment_to_settle', ['pay_1']],
      [undefined, [['pay_1', 'pay_2']]],
    ]);
  });
});
