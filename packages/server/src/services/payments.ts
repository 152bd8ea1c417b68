import {
  ORDER_MACHINE,
  PAYMENT_ERROR_DESCRIPTIONS,
  PAYMENT_MACHINE,
  PaygateError,
  classifyInstrument,
  decidePayment,
  detectCardNetwork,
  cardLast4,
  newId,
  normalizeCardNumber,
  transition,
  type CreatePaymentInput,
  type ListQueryInput,
  type PaymentDecision,
} from '@paygate/core';
import { failedPaymentDtoFields, paymentDtoText, toPaymentDto, type PaymentDto } from '../model/wire.js';
import { paymentCopy } from '../model/payment-copy.js';
import {
  capturePaymentRow,
  findPayment,
  findPaymentByIdempotencyRef,
  findPaymentsToSettle,
  listPayments as listPaymentRows,
  settlePaymentsWithEvents,
  type Settlement,
} from '../adapters/db/operations/payments.js';
import type { DeliveryToAttempt } from '../adapters/db/operations/deliveries.js';
import type { EventToRecord } from '../adapters/db/operations/events.js';
import type { CreatedDelivery, EventRow, MerchantRow, OrderRow, PaymentRow } from '../model/rows.js';
import type { OrderMove, OrderTerms } from '../ports/payment-store.js';
import type { ServiceDeps } from './service-deps.js';
import { AfterCommit } from './unit-of-work.js';
import { announceEvents, paymentEvent, paymentSnapshot } from './events.js';
import { createOnce, type IdempotentCreation } from './idempotency.js';
import { toListDto } from './list.js';
import { statesAllowing } from './machine-guards.js';

// Order statuses from which each event may move it, derived from the machine (not repeated here).
const ORDER_ATTEMPTABLE = statesAllowing(ORDER_MACHINE, 'attempt');
const ORDER_PAYABLE = statesAllowing(ORDER_MACHINE, 'pay');
/** A new payment moves its order from any status that allows an attempt (all move to the same one). */
const ORDER_ATTEMPT: OrderMove = { from: ORDER_ATTEMPTABLE, to: transition(ORDER_MACHINE, 'created', 'attempt') };

/** A payment created (or found again under its idempotency key), with its DTO's JSON: for a new one, the text its events' snapshot made. */
export type CreatedPayment = { payment: PaymentDto; json: string };

/**
 * Creates a payment `pending` and answers at once; a worker settles it later. The outcome is
 * decided now (magic test values need the card number, which is never stored), and applied by
 * the worker when `process_after` comes.
 */
export async function createPayment(
  deps: ServiceDeps,
  merchant: MerchantRow,
  input: CreatePaymentInput,
  idempotency?: IdempotentCreation,
): Promise<CreatedPayment> {
  return createOnce(idempotency, {
    uniqueIndex: 'payments_idempotency_ref_key',
    find: async (ref) => {
      const row = await findPaymentByIdempotencyRef({ db: deps.db, merchantId: merchant.id, ref });
      if (!row) return undefined;
      const payment = toPaymentDto(row);
      return { payment, json: paymentDtoText(payment) };
    },
    create: (ref) => insertNewPayment(deps, merchant, input, ref),
  });
}

async function insertNewPayment(deps: ServiceDeps, merchant: MerchantRow, input: CreatePaymentInput, idempotencyRef: string | null): Promise<CreatedPayment> {
  const now = deps.clock.now();
  const cardNumber = input.method === 'card' ? normalizeCardNumber(input.card.number) : undefined;
  const decision = decideOutcome(deps, input, cardNumber);
  // An order this process created or read lately needs no read: the payment takes only what never
  // changes from it (amount, currency), and the insert checks the order's status as it is now.
  const recent = deps.paymentStore.recentOrder({ merchantId: merchant.id, id: input.order_id });
  const order = recent ?? (await findOrderToPay(deps, merchant, input.order_id));
  const realNow = deps.clock.realNow();
  const row = newPaymentRow({ merchant, order, input, cardNumber, decision, idempotencyRef, now, realNow });
  // One snapshot for both events and the answer: the payment as it was inserted.
  const snapshot = paymentSnapshot(row);
  const events = [paymentEvent('payment.created', row, 1, now, snapshot), paymentEvent('payment.pending', row, 2, now, snapshot)];
  // The row's JSON, made once: the insert writes it, and the job carries it to the worker as the row's copy.
  const copy = paymentCopy(row);
  // Where this process runs workers too (`pg-cli dev`), the deliveries are written leased to its
  // dispatcher, which sends them the moment the insert commits: no delivery job, no claim statement.
  const dispatcher = deps.deliveries;
  // Payment, order move and events commit together or not at all.
  const { inserted, deliveryIds, leased } = await deps.paymentStore.insertPayment({
    row,
    rowJson: copy,
    events,
    orderMove: ORDER_ATTEMPT,
    ...(dispatcher ? { leaseUntil: dispatcher.leaseUntil(realNow) } : {}),
  });
  if (!inserted) {
    // Paid by another payment since it was read; or, remembered, paid or gone since: read it to say which.
    if (recent) await findOrderToPay(deps, merchant, input.order_id);
    throw orderAlreadyPaid(order.id);
  }

  if (dispatcher && leased)
    dispatcher.admitLeased(
      leased.map((d) =>
        toDeliveryToAttempt(
          d,
          events.find((e) => e.id === d.event_id)!,
        ),
      ),
    );
  const after = new AfterCommit();
  announceEvents(after, events, leased ? [] : deliveryIds);
  // The job carries the row as inserted: its worker settles it without reading it back.
  after.enqueue('payments', [row.id], new Date(realNow.getTime() + decision.delayMs), [copy]);
  await after.run(deps);
  deps.metrics.paymentsCreated.inc(row.method);
  return { payment: snapshot.data.payment, json: snapshot.paymentText };
}

/** The simulated processor's verdict on a new payment (a magic instrument decides it). */
function decideOutcome(deps: Pick<ServiceDeps, 'config' | 'random'>, input: CreatePaymentInput, cardNumber: string | undefined): PaymentDecision {
  const magic = classifyInstrument(input.method === 'card' ? { method: 'card', cardNumber: cardNumber! } : { method: 'upi', vpa: input.vpa });
  return decidePayment(
    { method: input.method, magic },
    {
      testMode: deps.config.testMode,
      testProcessingDelayMs: deps.config.testProcessingDelayMs,
      testPaymentSuccess: deps.config.testPaymentSuccess,
    },
    deps.random,
  );
}

const orderAlreadyPaid = (orderId: string) =>
  new PaygateError('BAD_REQUEST_ERROR', `Order ${orderId} is already paid; it cannot take another payment.`, { field: 'order_id' });

/** The merchant's order a new payment names, if it may still take one. */
async function findOrderToPay(deps: Pick<ServiceDeps, 'paymentStore'>, merchant: MerchantRow, orderId: string): Promise<OrderRow> {
  const order = await deps.paymentStore.findOrder({ merchantId: merchant.id, id: orderId });
  if (!order) throw new PaygateError('NOT_FOUND_ERROR', `No order ${orderId} for this merchant.`, { field: 'order_id' });
  if (!ORDER_ATTEMPTABLE.includes(order.status)) throw orderAlreadyPaid(order.id);
  return order;
}

/** The row of a new pending payment: the order's amount, the card's safe details, and the decided outcome. */
function newPaymentRow({
  merchant,
  order,
  input,
  cardNumber,
  decision,
  idempotencyRef,
  now,
  realNow,
}: {
  merchant: MerchantRow;
  order: OrderTerms;
  input: CreatePaymentInput;
  cardNumber: string | undefined;
  decision: PaymentDecision;
  idempotencyRef: string | null;
  now: Date;
  realNow: Date;
}): PaymentRow {
  return {
    id: newId('payment'),
    merchant_id: merchant.id,
    order_id: order.id,
    amount: Number(order.amount),
    currency: order.currency,
    method: input.method,
    vpa: input.method === 'upi' ? input.vpa : null,
    card_network: cardNumber ? detectCardNetwork(cardNumber) : null,
    card_last4: cardNumber ? cardLast4(cardNumber) : null,
    status: 'pending',
    error_code: null,
    error_description: null,
    captured: false,
    amount_refunded: 0,
    decided_status: decision.status,
    decided_error_code: decision.errorCode ?? null,
    decided_error_description: decision.errorDescription ?? null,
    refunds_fail: decision.refundsFail === true,
    process_after: new Date(now.getTime() + decision.delayMs),
    enqueued_at: realNow,
    event_sequence: 2,
    created_at: now,
    updated_at: now,
    processed_at: null,
    idempotency_ref: idempotencyRef,
  };
}

export async function requirePayment(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string, field = 'id'): Promise<PaymentRow> {
  const row = await findPayment({ db: deps.db, merchantId: merchant.id, id });
  if (!row) throw new PaygateError('NOT_FOUND_ERROR', `No payment ${id} for this merchant.`, { field });
  return row;
}

export async function getPayment(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string) {
  return toPaymentDto(await requirePayment(deps, merchant, id));
}

export type PaymentListQuery = ListQueryInput & {
  order_id?: string | undefined;
  method?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
};

export async function listPayments(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, query: PaymentListQuery) {
  const { order_id: orderId, created_from: from, created_to: to, ...rest } = query;
  const page = await listPaymentRows({
    db: deps.db,
    merchantId: merchant.id,
    ...rest,
    orderId,
    createdFrom: from ? new Date(from) : undefined,
    createdTo: to ? new Date(to) : undefined,
  });
  return toListDto(page, query, toPaymentDto);
}

/**
 * Seed parity: marks a successful payment captured. An `amount`, if given, must be the whole
 * payment's: partial capture is not supported.
 */
export async function capturePayment(deps: Pick<ServiceDeps, 'db' | 'clock'>, merchant: MerchantRow, id: string, amount?: number) {
  if (amount !== undefined) await requireWholeAmount(deps, merchant, id, amount);
  const row = await capturePaymentRow({ db: deps.db, merchantId: merchant.id, id, now: deps.clock.now() });
  if (row) return toPaymentDto(row);
  const current = await requirePayment(deps, merchant, id);
  throw new PaygateError(
    'BAD_REQUEST_ERROR',
    current.captured ? `Payment ${id} is already captured.` : `Payment ${id} is ${current.status}; only a successful payment can be captured.`,
    { field: 'id' },
  );
}

async function requireWholeAmount(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string, amount: number): Promise<void> {
  const payment = await requirePayment(deps, merchant, id);
  if (amount !== Number(payment.amount)) {
    throw new PaygateError('BAD_REQUEST_ERROR', `amount must equal the payment amount (${payment.amount}); partial capture is not supported.`, {
      field: 'amount',
    });
  }
}

// A would-be success whose order another payment paid first (see settlePaymentsWithEvents): it
// fails, and its event is the failure's, made in the statement from the success's.
const ORDER_TAKEN = {
  status: transition(PAYMENT_MACHINE, 'pending', 'fail'),
  errorCode: 'ORDER_ALREADY_PAID',
  errorDescription: PAYMENT_ERROR_DESCRIPTIONS.ORDER_ALREADY_PAID,
  eventType: 'payment.failed',
  paymentFields: failedPaymentDtoFields('ORDER_ALREADY_PAID', PAYMENT_ERROR_DESCRIPTIONS.ORDER_ALREADY_PAID),
} as const;

/**
 * A job that came before its payment was due (the clock that queued it runs ahead of the
 * database's) is dropped, so the payment is queued again for when it is due: otherwise only the
 * relay's stale window (PAYGATE_RELAY_STALE_MS) would bring it back.
 */
async function requeueUntilDue(deps: ServiceDeps, early: ReadonlyArray<{ id: string; dueInMs: number }>, realNow: Date): Promise<void> {
  if (early.length === 0) return;
  const after = new AfterCommit();
  for (const p of early) after.enqueue('payments', [p.id], new Date(realNow.getTime() + p.dueInMs));
  await after.run(deps);
}

/**
 * Worker use case: settles a batch of due pending payments, each once: marks its order paid on
 * success, records `payment.success` or `payment.failed`, and queues their webhooks (the job ends
 * when the settlement commits: it never waits for a receiver). It takes the rows (as its jobs
 * carried them, or read), computes each outcome (decided at creation), and writes everything in
 * one guarded statement: a duplicate id is a no-op, and an early one is queued again for when it
 * is due, by the database's clock.
 *
 * An order is paid once: a payment that would succeed after another payment of its order did
 * (a race, or a second payment started while the first was pending) fails with
 * `ORDER_ALREADY_PAID` and is never charged. The statement decides which one wins.
 *
 * @param copies  rows as their jobs carried them, by id: copies only, which the statement checks
 *   against the rows; a payment whose copy it finds stale is settled again from a read.
 * @returns how many of the ids it settled (the rest were done already, or not due).
 */
export async function processPayments(deps: ServiceDeps, ids: readonly string[], copies?: ReadonlyMap<string, PaymentRow>): Promise<number> {
  const now = deps.clock.now();
  const realNow = deps.clock.realNow();
  const settlements: Settlement[] = [];
  const eventById = new Map<string, EventToRecord>();
  for (const read of await paymentsToSettle(deps, ids, copies)) {
    if (read.status !== 'pending') continue;
    const { settlement, event } = settlementOf(read, now);
    settlements.push(settlement);
    eventById.set(event.id, event);
  }
  if (settlements.length === 0) return 0;
  const outcomeEvents = [...eventById.values()];

  // In a worker, the deliveries are written leased to its own dispatcher, which sends them the
  // moment the settlement commits: no claim statement, no delivery job.
  const dispatcher = deps.deliveries;
  const result = await settlePaymentsWithEvents({
    db: deps.db,
    settlements,
    orderPaid: { from: ORDER_PAYABLE, to: transition(ORDER_MACHINE, 'attempted', 'pay'), lost: ORDER_TAKEN },
    events: outcomeEvents,
    realNow,
    sharedOffset: deps.config.testMode,
    ...(dispatcher ? { leaseUntil: dispatcher.leaseUntil(realNow) } : {}),
  });
  const rowOf = new Map(settlements.map((s) => [s.settled.id, s.settled]));
  // A payment that lost its order got the failure's event, made in the statement from its
  // outcome's: made here too, the same, for its webhook and its live stream.
  for (const s of result.settled) if (!eventById.has(s.eventId)) eventById.set(s.eventId, orderTakenEvent(rowOf.get(s.id)!, s.eventId, now));
  const settledEvents = result.settled.map((s) => eventById.get(s.eventId)!);
  if (dispatcher) dispatcher.admitLeased(result.deliveries.map((d) => toDeliveryToAttempt(d, eventById.get(d.event_id)!)));
  const after = new AfterCommit();
  announceEvents(after, settledEvents, dispatcher ? [] : result.deliveries.map((d) => d.id));
  await Promise.all([after.run(deps), requeueUntilDue(deps, result.notDue, realNow)]);
  for (const s of result.settled) {
    deps.metrics.paymentsSettled.inc(s.status);
    // One line per settlement at debug (`pg-cli dev` shows them; production keeps them out of its volume).
    const row = rowOf.get(s.id);
    deps.log.debug({ paymentId: s.id, status: s.status, amount: row?.amount, currency: row?.currency, method: row?.method }, 'payment settled');
  }
  // A copy the statement found stale (the payment settled by another job meanwhile, most often)
  // settled nothing: the row decides, read.
  const answered = new Set([...result.settled.map((s) => s.id), ...result.notDue.map((n) => n.id)]);
  const stale = copies ? settlements.filter((s) => !answered.has(s.read.id) && copies.has(s.read.id)).map((s) => s.read.id) : [];
  return result.settled.length + (stale.length > 0 ? await processPayments(deps, stale) : 0);
}

/** The payments with these ids, once each: the copies their jobs carried, and the rest read. */
async function paymentsToSettle(deps: ServiceDeps, ids: readonly string[], copies: ReadonlyMap<string, PaymentRow> | undefined): Promise<PaymentRow[]> {
  const rows: PaymentRow[] = [];
  const unknown: string[] = [];
  for (const id of new Set(ids)) {
    const copy = copies?.get(id);
    if (copy) rows.push(copy);
    else unknown.push(id);
  }
  if (unknown.length > 0) rows.push(...(await findPaymentsToSettle({ db: deps.db, ids: unknown })));
  return rows;
}

/** A delivery created leased (by a new payment or a settlement), as the dispatcher sends it: its first attempt, of its event. */
function toDeliveryToAttempt(d: CreatedDelivery, event: EventToRecord): DeliveryToAttempt {
  // One literal, every field named: built with a spread, the object took V8's slow path (100 ms of
  // a profile's 7 s over 14,000 deliveries, `pg-cli dev` with every event subscribed).
  return {
    id: d.id,
    merchant_id: d.merchant_id,
    event_id: d.event_id,
    attempts: 0,
    locked_until: d.locked_until!,
    event_type: event.type,
    event_data: event.data,
    event_data_text: event.dataText,
    event_created_at: event.created_at,
    event_sequence: event.sequence,
    webhook_url: d.webhook_url,
    webhook_secret: d.webhook_secret,
    previous_webhook_secret: d.previous_webhook_secret,
    previous_webhook_secret_expires_at: d.previous_webhook_secret_expires_at,
    webhook_enabled: d.webhook_enabled,
  };
}

/**
 * How a due pending payment settles: with the outcome decided at creation, and its outcome event
 * (its data's text made once: the events' batch and the webhook's body both carry it). A would-be
 * success also gets the id of the event of losing its order (ORDER_TAKEN), for the statement to
 * use should another payment have paid the order first.
 */
function settlementOf(read: PaymentRow, now: Date): { settlement: Settlement; event: EventToRecord } {
  const status = transition(PAYMENT_MACHINE, 'pending', read.decided_status === 'success' ? 'succeed' : 'fail');
  const failed = status === 'failed';
  const settled: PaymentRow = {
    ...read,
    status,
    error_code: failed ? read.decided_error_code : null,
    error_description: failed ? read.decided_error_description : null,
    event_sequence: read.event_sequence + 1,
    processed_at: now,
    updated_at: now,
  };
  const event = paymentEvent(failed ? 'payment.failed' : 'payment.success', settled, settled.event_sequence, now);
  if (failed) return { settlement: { read, settled, eventId: event.id }, event };
  return { settlement: { read, settled, eventId: event.id, lostEventId: newId('event') }, event };
}

/** The event of a would-be success that lost its order, as the settlement statement made it from the success's. */
function orderTakenEvent(settled: PaymentRow, id: string, now: Date): EventRow {
  const lost = { ...settled, status: ORDER_TAKEN.status, error_code: ORDER_TAKEN.errorCode, error_description: ORDER_TAKEN.errorDescription };
  return paymentEvent(ORDER_TAKEN.eventType, lost, settled.event_sequence, now, paymentSnapshot(lost), id);
}
