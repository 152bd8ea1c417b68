import type { Knex } from 'knex';
import type { PaymentRow } from '../tables.js';
import { paginate, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

export async function insertPayment({ db, row }: { db: Db; row: PaymentRow }): Promise<PaymentRow> {
  const [inserted] = await db<PaymentRow>('payments').insert(row).returning('*');
  return inserted!;
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

/**
 * Applies the outcome decided at creation, once: `pending → success|failed` only if the payment
 * is still pending and due. Zero rows means another worker settled it, or it is not due yet.
 * The payment's event counter moves in the same statement, so the event gets its sequence.
 */
export async function settlePayment({
  db,
  id,
  now,
  nextStatus,
}: {
  db: Db;
  id: string;
  now: Date;
  nextStatus: (decided: PaymentRow['decided_status']) => PaymentRow['status'];
}): Promise<PaymentRow | undefined> {
  const success = nextStatus('success');
  const failed = nextStatus('failed');
  const [row] = await db<PaymentRow>('payments')
    .where({ id, status: 'pending' })
    .andWhere('process_after', '<=', now)
    .update({
      status: db.raw("CASE WHEN decided_status = 'success' THEN ? ELSE ? END", [success, failed]) as unknown as PaymentRow['status'],
      error_code: db.raw("CASE WHEN decided_status = 'failed' THEN decided_error_code END") as unknown as string,
      error_description: db.raw("CASE WHEN decided_status = 'failed' THEN decided_error_description END") as unknown as string,
      event_sequence: db.raw('event_sequence + 1') as unknown as number,
      processed_at: now,
      updated_at: now,
    })
    .returning('*');
  return row;
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
