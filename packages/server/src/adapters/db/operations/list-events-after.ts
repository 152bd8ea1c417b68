import type { Knex } from 'knex';
import type { EventRow } from '../../../model/rows.js';

type Db = Knex | Knex.Transaction;

/**
 * A place in a merchant's event stream: after the event inserted by transaction `txid` at
 * `seq`. Both are bigints, kept as strings.
 *
 * @remarks The stream is ordered by `(commit_txid, stream_seq)`, and a reader only goes as far
 * as the horizon `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below it has
 * ended, and every transaction yet to insert has a higher id, so nothing can ever appear
 * behind a cursor that only passed rows below it. A bigserial or a timestamp alone would not do:
 * a transaction that took a lower number can commit after a reader has passed it.
 */
export type StreamCursor = { txid: string; seq: string };

/** An event with the cursor just after it. */
export type StreamEvent = EventRow & { cursor: StreamCursor };

/**
 * The cursor just after the event `eventId` (a client's `Last-Event-ID`), or `undefined` when it
 * is not one of the merchant's events (unknown, deleted by a reset, or another merchant's).
 */
export async function streamCursorOfEvent({ db, merchantId, eventId }: { db: Db; merchantId: string; eventId: string }): Promise<StreamCursor | undefined> {
  const row = await db('events')
    .where({ id: eventId, merchant_id: merchantId })
    .first<{ txid: string; seq: string | number } | undefined>(db.raw('commit_txid::text AS txid'), db.raw('stream_seq AS seq'));
  return row ? { txid: row.txid, seq: String(row.seq) } : undefined;
}

/**
 * The cursor for "from now on": before every event whose transaction is still running or yet
 * to start. Events committed just before may follow it too (those of transactions above the
 * horizon): a new stream may begin with a few recent ones, never miss one.
 */
export async function currentStreamCursor({ db }: { db: Db }): Promise<StreamCursor> {
  const result = await db.raw<{ rows: Array<{ txid: string }> }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS txid');
  return { txid: result.rows[0]!.txid, seq: '0' };
}

/**
 * The merchant's events after `after`, in stream order, as far as the horizon (see
 * {@link StreamCursor}), for the live stream and its resumption.
 *
 * @returns up to `limit` events, and whether later events are already visible but held back
 *   behind a transaction still running (read again shortly: it ends by commit or rollback, and
 *   a rollback publishes nothing that would wake the reader).
 */
export async function listEventsAfter({
  db,
  merchantId,
  after,
  limit,
}: {
  db: Db;
  merchantId: string;
  after: StreamCursor;
  limit: number;
}): Promise<{ events: StreamEvent[]; heldBack: boolean }> {
  const result = await db.raw<{ rows: Array<EventRow & { txid: string; seq: string | number; final: boolean }> }>(
    `SELECT e.id, e.merchant_id, e.type, e.payment_id, e.sequence, e.data, e.created_at,
            e.commit_txid::text AS txid, e.stream_seq AS seq, e.commit_txid < h.horizon AS final
       FROM events e, (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
      WHERE e.merchant_id = ? AND (e.commit_txid, e.stream_seq) > (?::xid8, ?::bigint)
      ORDER BY e.commit_txid, e.stream_seq
      LIMIT ?`,
    [merchantId, after.txid, after.seq, limit],
  );
  // Final rows come first (they are the lower transaction ids): stop at the first that is not.
  const events: StreamEvent[] = [];
  for (const { txid, seq, final, ...row } of result.rows) {
    if (!final) return { events, heldBack: true };
    events.push({ ...row, cursor: { txid, seq: String(seq) } });
  }
  return { events, heldBack: false };
}
