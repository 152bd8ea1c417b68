import type { Knex } from 'knex';
import type { PaymentRow } from '../../../model/rows.js';
import type { SqlFragment } from './events.js';
import { prepared } from './prepared.js';

type Db = Knex | Knex.Transaction;

/**
 * SQL for how many milliseconds until `<alias>.process_after` comes (0 when it has), judged by
 * the database's clock plus the shared test-clock offset, read in the same statement. Not by
 * the caller's clock: a worker whose clock lags (another host, or an offset it has not re-read
 * since an advance) would otherwise see due work as early.
 *
 * @param sharedOffset  add the `gateway_clock` offset (test mode); otherwise the plain clock.
 */
export function dueInMsSql(alias: string, sharedOffset: boolean): SqlFragment {
  return {
    sql: `GREATEST(0, ceil(extract(epoch FROM ${alias}.process_after - clock_timestamp()) * 1000
            - CASE WHEN ? THEN COALESCE((SELECT offset_ms FROM gateway_clock WHERE id = 1), 0) ELSE 0 END))::bigint`,
    bindings: [sharedOffset],
  };
}

/**
 * The payments with these ids (any merchant: for workers), each with how long until it is due (0: due).
 * One alone, the idle case, by a prepared lookup by primary key (planned once per connection,
 * see prepared.ts); several by one statement planned for its batch.
 */
export async function findPaymentsWithDueIn({
  db,
  ids,
  sharedOffset,
}: {
  db: Db;
  ids: readonly string[];
  sharedOffset: boolean;
}): Promise<Array<{ row: PaymentRow; dueInMs: number }>> {
  const due = dueInMsSql('p', sharedOffset);
  const select = `SELECT p.*, ${due.sql} AS due_in_ms FROM payments p`;
  type Read = { rows: Array<PaymentRow & { due_in_ms: number | string }> };
  const result =
    ids.length === 1
      ? await prepared<Read>(db, 'find_payment_with_due_in', `${select} WHERE p.id = ?`, [...due.bindings, ids[0]!])
      : await db.raw<Read>(`${select} WHERE p.id = ANY (?::text[])`, [...due.bindings, [...ids]]);
  return result.rows.map(({ due_in_ms, ...row }) => ({ row, dueInMs: Number(due_in_ms) }));
}
