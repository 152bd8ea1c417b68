import type { Knex } from 'knex';
import type { EventRow } from '../tables.js';

type Db = Knex | Knex.Transaction;

/**
 * The merchant's events that come after `afterEventId`, oldest first, for the live stream's
 * catch-up (`Last-Event-ID`). The order is `(created_at, sequence, id)`: the events of one
 * transaction share `created_at`, and `sequence` keeps a payment's `created` before its
 * `pending`; `id` makes the order total.
 *
 * @returns the events (at most `limit`), or `undefined` when `afterEventId` is not one of the
 *   merchant's events (unknown, deleted by a reset, or another merchant's).
 */
export async function listEventsAfter({
  db,
  merchantId,
  afterEventId,
  limit,
}: {
  db: Db;
  merchantId: string;
  afterEventId: string;
  limit: number;
}): Promise<EventRow[] | undefined> {
  const cursor = await db('events').select('id').where({ id: afterEventId, merchant_id: merchantId }).first();
  if (!cursor) return undefined;
  return db<EventRow>('events')
    .select('id', 'merchant_id', 'type', 'payment_id', 'sequence', 'data', 'created_at')
    .where('merchant_id', merchantId)
    .whereRaw('(created_at, sequence, id) > (SELECT c.created_at, c.sequence, c.id FROM events c WHERE c.id = ? AND c.merchant_id = ?)', [
      afterEventId,
      merchantId,
    ])
    .orderBy([{ column: 'created_at' }, { column: 'sequence' }, { column: 'id' }])
    .limit(limit);
}
