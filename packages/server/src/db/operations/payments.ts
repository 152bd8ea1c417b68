import type { Knex } from 'knex';
import type { EventRow, PaymentRow } from '../tables.js';
import { eventsWithDeliveriesCte } from './events.js';
import { paginate, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

/**
 * In ONE statement (atomic without BEGIN/COMMIT, one round trip): inserts the payment if its
 * order is still in one of `orderFrom`, moves the order to `orderTo`, and records the events with
 * their deliveries. Zero rows inserted means the order moved on meanwhile (paid by another payment).
 *
 * @returns whether the payment was inserted, and the delivery ids to queue.
 */
export async function insertPaymentWithEvents({
  db,
  row,
  orderFrom,
  orderTo,
  events,
  realNow,
}: {
  db: Db;
  row: PaymentRow;
  orderFrom: readonly string[];
  orderTo: string;
  events: readonly EventRow[];
  realNow: Date;
}): Promise<{ inserted: boolean; deliveryIds: string[] }> {
  const columns = Object.keys(row) as (keyof PaymentRow)[];
  const cte = eventsWithDeliveriesCte(events, realNow, 'p');
  const result = await db.raw<{ rows: { inserted: boolean; delivery_ids: string[] | null }[] }>(
    `WITH p AS (
       INSERT INTO payments (${columns.join(', ')})
       SELECT ${columns.map(() => '?').join(', ')}
        WHERE EXISTS (SELECT 1 FROM orders WHERE id = ? AND merchant_id = ? AND status = ANY (?::text[]))
       RETURNING id
     ),
     o AS (
       UPDATE orders SET status = ?, updated_at = ?
        WHERE id = ? AND status <> ? AND status = ANY (?::text[]) AND EXISTS (SELECT 1 FROM p)
     ),
     ${cte.sql}
     SELECT EXISTS (SELECT 1 FROM p) AS inserted, (SELECT array_agg(id) FROM wl) AS delivery_ids`,
    [
      ...columns.map((c) => row[c] as Knex.RawBinding),
      row.order_id,
      row.merchant_id,
      [...orderFrom],
      orderTo,
      row.updated_at,
      row.order_id,
      orderTo,
      [...orderFrom],
      ...cte.bindings,
    ],
  );
  const out = result.rows[0]!;
  return { inserted: out.inserted, deliveryIds: out.delivery_ids ?? [] };
}

export async function findPayment({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('payments').where({ id, merchant_id: merchantId }).first();
}

export async function listPayments({
  db,
  merchantId,
  limit,
  offset,
  status,
  orderId,
}: {
  db: Db;
  merchantId: string;
  limit: number;
  offset: number;
  status?: string | undefined;
  orderId?: string | undefined;
}): Promise<Page<PaymentRow>> {
  const q = db<PaymentRow>('payments').where({ merchant_id: merchantId });
  if (status) q.andWhere({ status: status as PaymentRow['status'] });
  if (orderId) q.andWhere({ order_id: orderId });
  return paginate(q, { limit, offset });
}

export async function findPaymentById({ db, id }: { db: Db; id: string }): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('payments').where({ id }).first();
}

/**
 * Settles a payment in ONE statement: the guarded update (`pending`, unchanged since it was read:
 * same event_sequence), the order's move to paid on success, and the event with its delivery.
 * The caller computed `settled` and the event from the row it read, so nothing here needs a
 * second round trip. False means another worker settled it first: a harmless duplicate.
 */
export async function settlePaymentWithEvents({
  db,
  read,
  settled,
  payOrder,
  events,
  realNow,
}: {
  db: Db;
  read: PaymentRow;
  settled: PaymentRow;
  payOrder?: { from: readonly string[]; to: string } | undefined;
  events: readonly EventRow[];
  realNow: Date;
}): Promise<{ settled: boolean; deliveryIds: string[] }> {
  const cte = eventsWithDeliveriesCte(events, realNow, 'p');
  const result = await db.raw<{ rows: { settled: boolean; delivery_ids: string[] | null }[] }>(
    `WITH p AS (
       UPDATE payments
          SET status = ?, error_code = ?, error_description = ?, event_sequence = ?, processed_at = ?, updated_at = ?
        WHERE id = ? AND status = 'pending' AND event_sequence = ?
       RETURNING id
     ),
     o AS (
       UPDATE orders SET status = ?, updated_at = ?
        WHERE id = ? AND status = ANY (?::text[]) AND EXISTS (SELECT 1 FROM p)
     ),
     ${cte.sql}
     SELECT EXISTS (SELECT 1 FROM p) AS settled, (SELECT array_agg(id) FROM wl) AS delivery_ids`,
    [
      settled.status,
      settled.error_code,
      settled.error_description,
      settled.event_sequence,
      settled.processed_at,
      settled.updated_at,
      read.id,
      read.event_sequence,
      payOrder?.to ?? 'paid',
      settled.updated_at,
      read.order_id,
      payOrder ? [...payOrder.from] : [],
      ...cte.bindings,
    ],
  );
  const out = result.rows[0]!;
  return { settled: out.settled, deliveryIds: out.delivery_ids ?? [] };
}

/** Marks a successful payment captured, once. */
export async function capturePaymentRow({ db, merchantId, id, now }: { db: Db; merchantId: string; id: string; now: Date }): Promise<PaymentRow | undefined> {
  const [row] = await db<PaymentRow>('payments')
    .where({ id, merchant_id: merchantId, status: 'success', captured: false })
    .update({ captured: true, updated_at: now })
    .returning('*');
  return row;
}

/**
 * Reserves `amount` of the payment for a refund with one conditional update, so concurrent
 * refunds can never exceed the payment (the CHECK on amount_refunded backs this up). Also takes
 * the next event sequence number for the refund.created event.
 */
export async function reserveRefundAmount({ db, merchantId, id, amount, now }: { db: Db; merchantId: string; id: string; amount: number; now: Date }): Promise<PaymentRow | undefined> {
  const [row] = await db<PaymentRow>('payments')
    .where({ id, merchant_id: merchantId, status: 'success' })
    .andWhereRaw('amount_refunded + ? <= amount', [amount])
    .update({
      amount_refunded: db.raw('amount_refunded + ?', [amount]) as unknown as number,
      event_sequence: db.raw('event_sequence + 1') as unknown as number,
      updated_at: now,
    })
    .returning('*');
  return row;
}

/** Takes the next event sequence number of a payment (for events about its refunds). */
export async function nextPaymentSequence({ db, id, now, releaseRefund = 0 }: { db: Db; id: string; now: Date; releaseRefund?: number }): Promise<PaymentRow | undefined> {
  const [row] = await db<PaymentRow>('payments')
    .where({ id })
    .update({
      event_sequence: db.raw('event_sequence + 1') as unknown as number,
      amount_refunded: db.raw('amount_refunded - ?', [releaseRefund]) as unknown as number,
      updated_at: now,
    })
    .returning('*');
  return row;
}
