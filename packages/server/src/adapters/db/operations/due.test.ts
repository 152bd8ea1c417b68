import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { findPaymentsWithDueIn } from './due.js';

/** A knex handle that records each statement's name and bindings, and finds every id asked for. */
function recordingDb() {
  const statements: Array<{ name: string | undefined; sql: string; bindings: unknown[] }> = [];
  const db = {
    raw(sql: string, bindings: unknown[]) {
      const statement = { name: undefined as string | undefined, sql, bindings };
      statements.push(statement);
      const asked = bindings.at(-1);
      const ids = Array.isArray(asked) ? (asked as string[]) : [asked as string];
      const run = Promise.resolve({ rows: ids.map((id) => ({ id, status: 'pending', due_in_ms: '0' })) });
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

describe("a worker's read of the payments it was given", () => {
  it('reads one payment by its prepared lookup, several by one statement planned for the batch, each with how long until it is due', async () => {
    const { db, statements } = recordingDb();
    expect(await findPaymentsWithDueIn({ db, ids: ['pay_1'], sharedOffset: true })).toEqual([{ row: { id: 'pay_1', status: 'pending' }, dueInMs: 0 }]);
    expect((await findPaymentsWithDueIn({ db, ids: ['pay_1', 'pay_2'], sharedOffset: false })).map((r) => r.row.id)).toEqual(['pay_1', 'pay_2']);
    expect(statements.map((s) => [s.name, s.bindings])).toEqual([
      ['find_payment_with_due_in', [true, 'pay_1']],
      [undefined, [false, ['pay_1', 'pay_2']]],
    ]);
  });
});
