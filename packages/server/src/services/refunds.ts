import {
  OVER_REFUND_DESCRIPTION,
  REFUND_MACHINE,
  PaygateError,
  assertRefundable,
  newId,
  transition,
  type CreateRefundInput,
  type ListQueryInput,
} from '@paygate/core';
import { toRefundDto } from '../model/wire.js';
import { findPayment, reserveRefundAmount } from '../adapters/db/operations/payments.js';
import {
  findRefund,
  findRefundByIdempotencyRef,
  findRefundsToSettle,
  insertRefund,
  listRefunds as listRefundRows,
  settleRefundsWithEvents,
  type RefundSettlement,
  type RefundToSettle,
} from '../adapters/db/operations/refunds.js';
import type { EventRow, MerchantRow, PaymentRow, RefundRow } from '../model/rows.js';
import type { Knex } from 'knex';
import type { ServiceDeps } from './service-deps.js';
import { AfterCommit, withTransaction } from './unit-of-work.js';
import { announceEvents, recordEvents, refundEvent } from './events.js';
import { createOnce, type IdempotentCreation } from './idempotency.js';
import { toListDto } from './list.js';
import { requirePayment } from './payments.js';

/** How long the simulated bank takes to settle a refund. */
function refundDelayMs(deps: Pick<ServiceDeps, 'config' | 'random'>): number {
  return deps.config.testMode ? deps.config.testProcessingDelayMs : 3_000 + Math.floor(deps.random() * 2_000);
}

function refundableOrThrow(payment: PaymentRow, requested: number | undefined): number {
  if (payment.status !== 'success') {
    throw new PaygateError('BAD_REQUEST_ERROR', `Payment ${payment.id} is ${payment.status}; only a successful payment can be refunded.`, {
      field: 'payment_id',
    });
  }
  const left = Number(payment.amount) - Number(payment.amount_refunded);
  if (left === 0) throw new PaygateError('BAD_REQUEST_ERROR', `Payment ${payment.id} has been fully refunded already.`, { field: 'amount' });
  const amount = requested ?? left;
  assertRefundable({ capturedAmount: Number(payment.amount), refundedAmount: Number(payment.amount_refunded), requestedAmount: amount });
  return amount;
}

/**
 * Creates a full (no amount) or partial refund. The ceiling holds under concurrency: the amount
 * is reserved on the payment with one conditional update (and a CHECK backs it), so of several
 * racing refunds only those that still fit succeed; the rest get the explicit 400.
 */
export async function createRefund(deps: ServiceDeps, merchant: MerchantRow, paymentId: string, input: CreateRefundInput, idempotency?: IdempotentCreation) {
  return createOnce(idempotency, {
    uniqueIndex: 'refunds_idempotency_ref_key',
    find: async (ref) => {
      const row = await findRefundByIdempotencyRef({ db: deps.db, merchantId: merchant.id, ref });
      return row && toRefundDto(row);
    },
    // The unique reference fails the whole transaction, so a refund that lost the race to it
    // reserves nothing.
    create: (ref) => insertNewRefund(deps, merchant, paymentId, input, ref),
  });
}

async function insertNewRefund(deps: ServiceDeps, merchant: MerchantRow, paymentId: string, input: CreateRefundInput, idempotencyRef: string | null) {
  const now = deps.clock.now();
  const delay = refundDelayMs(deps);
  const refund = await withTransaction(deps, async (trx, after) => {
    const { payment, amount } = await reserveRefund(trx, merchant, paymentId, input.amount, now);
    const row = newRefundRow({ payment, amount, input, idempotencyRef, now, processAfter: new Date(now.getTime() + delay), realNow: deps.clock.realNow() });
    const inserted = await insertRefund({ db: trx, row });
    await recordEvents(trx, after, [refundEvent('refund.created', inserted, payment.event_sequence, now)], deps.clock.realNow());
    after.enqueue('refunds', [inserted.id], new Date(deps.clock.realNow().getTime() + delay));
    return inserted;
  });
  return toRefundDto(refund);
}

/**
 * Reserves the refund's amount on the payment (all that is left, when none is asked for).
 *
 * @returns the payment as reserved (its event counter moved on for `refund.created`), and the amount.
 */
async function reserveRefund(trx: Knex.Transaction, merchant: MerchantRow, paymentId: string, requested: number | undefined, now: Date) {
  const payment = await findPayment({ db: trx, merchantId: merchant.id, id: paymentId });
  if (!payment) throw new PaygateError('NOT_FOUND_ERROR', `No payment ${paymentId} for this merchant.`, { field: 'payment_id' });
  const amount = refundableOrThrow(payment, requested);
  const reserved = await reserveRefundAmount({ db: trx, merchantId: merchant.id, id: payment.id, amount, now });
  if (!reserved) {
    // Someone refunded in between: re-read and explain with the fresh numbers.
    const fresh = await findPayment({ db: trx, merchantId: merchant.id, id: payment.id });
    refundableOrThrow(fresh!, amount);
    throw new PaygateError('BAD_REQUEST_ERROR', OVER_REFUND_DESCRIPTION, { field: 'amount' });
  }
  return { payment: reserved, amount };
}

function newRefundRow({
  payment,
  amount,
  input,
  idempotencyRef,
  now,
  processAfter,
  realNow,
}: {
  payment: PaymentRow;
  amount: number;
  input: CreateRefundInput;
  idempotencyRef: string | null;
  now: Date;
  processAfter: Date;
  realNow: Date;
}): RefundRow {
  return {
    id: newId('refund'),
    merchant_id: payment.merchant_id,
    payment_id: payment.id,
    amount,
    currency: payment.currency,
    reason: input.reason ?? null,
    notes: input.notes ?? null,
    status: 'pending',
    process_after: processAfter,
    enqueued_at: realNow,
    created_at: now,
    updated_at: now,
    processed_at: null,
    idempotency_ref: idempotencyRef,
  };
}

export async function getRefund(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string) {
  const row = await findRefund({ db: deps.db, merchantId: merchant.id, id });
  if (!row) throw new PaygateError('NOT_FOUND_ERROR', `No refund ${id} for this merchant.`, { field: 'id' });
  return toRefundDto(row);
}

export async function listPaymentRefunds(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, paymentId: string, query: ListQueryInput) {
  await requirePayment(deps, merchant, paymentId);
  const page = await listRefundRows({ db: deps.db, merchantId: merchant.id, paymentId, ...query });
  return toListDto(page, query, toRefundDto);
}

export async function listRefunds(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, query: ListQueryInput) {
  const page = await listRefundRows({ db: deps.db, merchantId: merchant.id, ...query });
  return toListDto(page, query, toRefundDto);
}

/**
 * A job that came before its refund was due (the clock that queued it runs ahead of the
 * database's) queues the refund again for when it is due, rather than leaving it to the relay's
 * stale window (PAYGATE_RELAY_STALE_MS).
 */
function requeueUntilDue(after: AfterCommit, early: readonly RefundToSettle[], realNow: Date): void {
  for (const r of early) after.enqueue('refunds', [r.row.id], new Date(realNow.getTime() + r.dueInMs));
}

/**
 * Worker use case: settles a batch of due pending refunds, each once, in one statement:
 * `pending → processed`, or `→ failed` with its amount released to the payment (a payment made
 * with the magic card whose refunds fail), and `refund.processed` / `refund.failed` with its
 * webhook delivery. A duplicate id is a no-op; an early one is queued again for its due time.
 *
 * @returns how many of the ids it settled.
 */
export async function processRefunds(deps: ServiceDeps, ids: readonly string[]): Promise<number> {
  const now = deps.clock.now();
  const realNow = deps.clock.realNow();
  const after = new AfterCommit();
  const settlements: RefundSettlement[] = [];
  const early: RefundToSettle[] = [];
  const eventOf = new Map<string, EventRow>();
  for (const read of await findRefundsToSettle({ db: deps.db, ids, sharedOffset: deps.config.testMode })) {
    if (read.row.status !== 'pending') continue;
    if (read.dueInMs > 0) {
      early.push(read);
      continue;
    }
    const status = transition(REFUND_MACHINE, 'pending', read.refundsFail ? 'fail' : 'process');
    const settled: RefundRow = { ...read.row, status, processed_at: status === 'processed' ? now : null, updated_at: now };
    settlements.push({ read: read.row, settled });
    // The sequence is given by the statement, from the payment's counter at that moment.
    eventOf.set(read.row.id, refundEvent(status === 'processed' ? 'refund.processed' : 'refund.failed', settled, 0, now));
  }
  requeueUntilDue(after, early, realNow);

  const { sequences, deliveryIds } = await settleRefundsWithEvents({ db: deps.db, settlements, events: [...eventOf.values()], realNow });
  const settledEvents = [...sequences].map(([id, sequence]) => ({ ...eventOf.get(id)!, sequence }));
  // The deliveries go where every refund delivery goes (run-workers.ts attempts them at once).
  announceEvents(after, settledEvents, deliveryIds);
  await after.run(deps);
  for (const { settled } of settlements) {
    if (!sequences.has(settled.id)) continue;
    // One line per settlement at debug, like payments'.
    deps.log.debug(
      { refundId: settled.id, paymentId: settled.payment_id, status: settled.status, amount: settled.amount, currency: settled.currency },
      'refund settled',
    );
  }
  return sequences.size;
}
