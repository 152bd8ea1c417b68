import type { Knex } from 'knex';
import { isoTimestamp } from '../../../lib/iso-timestamp.js';
import type { EventRow, RefundRow } from '../../../model/rows.js';
import { dueInMsSql } from './due.js';
import { eventsWithDeliveriesCte } from './events.js';
import { merchantPage, type ListQuery, type Page } from './pagination.js';
import { withCtes } from './with-ctes.js';

type Db = Knex | Knex.Transaction;

export async function insertRefund({ db, row }: { db: Db; row: RefundRow }): Promise<RefundRow> {
  const [inserted] = await db<RefundRow>('refunds').insert(row).returning('*');
  return inserted!;
}

export async function findRefund({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<RefundRow | undefined> {
  return db<RefundRow>('refunds').where({ id, merchant_id: merchantId }).first();
}

export async function listRefunds({ db, status, paymentId, ...page }: ListQuery & { paymentId?: string | undefined }): Promise<Page<RefundRow>> {
  return merchantPage<RefundRow>(db, 'refunds', { ...page, filters: { payment_id: paymentId, status } });
}

/** A refund as a worker reads it: the row, whether it fails (its payment's magic card), and when it is due. */
export type RefundToSettle = { row: RefundRow; refundsFail: boolean; dueInMs: number };

/** The refunds with these ids (any merchant: for workers), with what settling them needs. */
export async function findRefundsToSettle({ db, ids, sharedOffset }: { db: Db; ids: readonly string[]; sharedOffset: boolean }): Promise<RefundToSettle[]> {
  const due = dueInMsSql('r', sharedOffset);
  const result = await db.raw<{ rows: Array<RefundRow & { refunds_fail: boolean; due_in_ms: number | string }> }>(
    `SELECT r.*, p.refunds_fail, ${due.sql} AS due_in_ms
       FROM refunds r JOIN payments p ON p.id = r.payment_id
      WHERE r.id = ANY (?::text[])`,
    [...due.bindings, [...ids]],
  );
  return result.rows.map(({ refunds_fail, due_in_ms, ...row }) => ({ row, refundsFail: refunds_fail, dueInMs: Number(due_in_ms) }));
}

/** One refund's settlement, as computed by the worker from the row it read. */
export type RefundSettlement = { read: RefundRow; settled: RefundRow };

// The settlement statement's CTEs, in order (see settleRefundsWithEvents).
/** `v`: the batch's changes, one row per refund, from one JSON parameter (`LIMIT <batch size>`: see prepared.ts). */
const SETTLEMENT_CHANGES = `v AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb)
         AS v(id text, read_status text, status text, processed_at timestamptz, updated_at timestamptz)
        LIMIT ?
     )`;
/** `locked`: the refunds' payments, locked in id order before any refund row. */
const PAYMENTS_LOCKED = `locked AS (
       SELECT id FROM payments
        WHERE id IN (SELECT payment_id FROM refunds WHERE id IN (SELECT id FROM v))
        ORDER BY id
        FOR UPDATE
     )`;
/** `r`: the guarded refund updates (a refund settled meanwhile is left out); its `count(*)` takes every payment lock first. */
const REFUND_UPDATES = `r AS (
       UPDATE refunds AS t
          SET status = v.status, processed_at = v.processed_at, updated_at = v.updated_at
         FROM v
        WHERE t.id = v.id AND t.status = v.read_status
          -- counting them takes every payment lock before the first refund's: see above
          AND (SELECT count(*) FROM locked) >= 0
       RETURNING t.id, t.payment_id, t.amount, t.status, t.updated_at
     )`;
/** `n`: per payment, how many of its refunds settled here, and the amount the failed ones release. */
const PER_PAYMENT = `n AS (
       SELECT payment_id, count(*)::int AS settled, sum(CASE WHEN status = 'failed' THEN amount ELSE 0 END) AS released,
              max(updated_at) AS updated_at
         FROM r GROUP BY payment_id
     )`;
/** `p`: each payment's counter moved on and failed amounts released; `before` is its counter before. */
const PAYMENT_UPDATES = `p AS (
       UPDATE payments AS pay
          SET event_sequence = pay.event_sequence + n.settled, amount_refunded = pay.amount_refunded - n.released, updated_at = n.updated_at
         FROM n JOIN locked ON locked.id = n.payment_id
        WHERE pay.id = n.payment_id
       RETURNING pay.id, pay.event_sequence - n.settled AS before
     )`;
/** `s`: each settled refund's event sequence, consecutive per payment. */
const SEQUENCES = `s AS (
       SELECT r.id, (p.before + row_number() OVER (PARTITION BY r.payment_id ORDER BY r.id))::int AS sequence
         FROM r JOIN p ON p.id = r.payment_id
     )`;

/**
 * Settles a batch of refunds in ONE statement: for each, the guarded update (still in the status
 * it was read in); per payment, the amounts of the failed ones released from `amount_refunded`
 * and its event counter moved on by the number settled; and one event per refund with its
 * delivery. The events' sequences are given here, inside the statement, from the counter the
 * update returns: several refunds of one payment in a batch take consecutive numbers, and a
 * concurrent batch or refund request waits on the payment's row and continues after them. A
 * refund another worker settled first is left out (a harmless duplicate) with its event.
 *
 * The payment rows are locked first, in id order, before any refund row: two batches that share
 * payments (or a refund, run twice) queue up on the first one instead of deadlocking.
 *
 * @param events  one per refund, `data.refund.id` naming it; their `sequence` is ignored.
 * @returns the sequence each settled refund's event took, and the deliveries created.
 */
export async function settleRefundsWithEvents({
  db,
  settlements,
  events,
  realNow,
}: {
  db: Db;
  settlements: readonly RefundSettlement[];
  events: readonly EventRow[];
  realNow: Date;
}): Promise<{ sequences: Map<string, number>; deliveryIds: string[] }> {
  if (settlements.length === 0) return { sequences: new Map(), deliveryIds: [] };
  const refundOf = "x.data #>> '{refund,id}'";
  const cte = eventsWithDeliveriesCte(events, realNow, {
    where: `${refundOf} IN (SELECT id FROM s)`,
    sequence: `(SELECT s.sequence FROM s WHERE s.id = ${refundOf})`,
  });
  // Unnamed and with `LIMIT <batch size>` on the JSON, like the payment settlement (prepared.ts).
  const result = await db.raw<{ rows: Array<{ settled: Array<{ id: string; sequence: number }> | null; delivery_ids: string[] | null }> }>(
    `${withCtes([SETTLEMENT_CHANGES, PAYMENTS_LOCKED, REFUND_UPDATES, PER_PAYMENT, PAYMENT_UPDATES, SEQUENCES, cte.sql])}
     SELECT (SELECT json_agg(json_build_object('id', s.id, 'sequence', s.sequence)) FROM s) AS settled,
            (SELECT array_agg(wl.id) FROM wl) AS delivery_ids`,
    [settlementChanges(settlements), settlements.length, ...cte.bindings],
  );
  const out = result.rows[0]!;
  return { sequences: new Map((out.settled ?? []).map((x) => [x.id, x.sequence])), deliveryIds: out.delivery_ids ?? [] };
}

/** The JSON parameter `v` reads: per refund, the status it was read in (the guard) and as settled. */
function settlementChanges(settlements: readonly RefundSettlement[]): string {
  return JSON.stringify(
    settlements.map(({ read, settled }) => ({
      id: read.id,
      read_status: read.status,
      status: settled.status,
      processed_at: isoTimestamp(settled.processed_at),
      updated_at: isoTimestamp(settled.updated_at),
    })),
  );
}

/** The refund created under an Idempotency-Key record's reference (its recovery point), if any. */
export async function findRefundByIdempotencyRef({ db, merchantId, ref }: { db: Db; merchantId: string; ref: string }): Promise<RefundRow | undefined> {
  return db<RefundRow>('refunds').where({ idempotency_ref: ref, merchant_id: merchantId }).first();
}
