import type { Knex } from 'knex';
import type { PaymentRow } from '../tables.js';

type Db = Knex | Knex.Transaction;

/**
 * The payments with these ids (any merchant: for workers), each with how long until it is due
 * (0 when due). "Due" is judged by the database's clock plus the shared test-clock offset, read
 * in the same statement, not by the caller's clock: a worker whose clock lags (another host, or
 * an offset it has not re-read since an advance) would otherwise see a due payment as early.
 *
 * @param sharedOffset  add the `gateway_clock` offset (test mode); otherwise the plain clock.
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
  const result = await db.raw<{ rows: Array<PaymentRow & { due_in_ms: number | string }> }>(
    `SELECT p.*,
            GREATEST(0, ceil(extract(epoch FROM p.process_after - clock_timestamp()) * 1000 - g.offset_ms))::bigint AS due_in_ms
       FROM payments p
      CROSS JOIN (SELECT CASE WHEN ? THEN COALESCE((SELECT offset_ms FROM gateway_clock WHERE id = 1), 0) ELSE 0 END AS offset_ms) g
      WHERE p.id = ANY (?::text[])`,
    [sharedOffset, [...ids]],
  );
  return result.rows.map(({ due_in_ms, ...row }) => ({ row, dueInMs: Number(due_in_ms) }));
}
