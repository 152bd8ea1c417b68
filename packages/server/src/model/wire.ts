import type { CardPayment, EventEnvelope, Order, Payment, Refund, UpiPayment, WebhookAttempt, WebhookDelivery } from '@paygate/client';
import type { EventRow, OrderRow, PaymentRow, RefundRow, WebhookAttemptRow, DeliveryRow } from './rows.js';
import { isoTimestamp } from '../lib/iso-timestamp.js';
import { jsonWriter } from '../lib/json-writer.js';

/**
 * Rows to the wire format (snake_case JSON, ISO-8601 UTC timestamps). The only place where the
 * API's field names meet the database's; internal columns (decided_*, enqueued_at) stay inside.
 * The wire types themselves are @paygate/client's (merchants read them without the server): each
 * serializer is declared to return one, so a field added here and not there does not compile.
 */

function money(value: number | string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isSafeInteger(n)) throw new TypeError(`amount is not a safe integer: ${String(value)}`);
  return n;
}

export type OrderDto = Order;
export function toOrderDto(row: OrderRow): Order {
  return {
    id: row.id,
    entity: 'order' as const,
    amount: money(row.amount),
    currency: row.currency,
    receipt: row.receipt,
    notes: row.notes ?? {},
    status: row.status,
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

export type PaymentDto = Payment;
export function toPaymentDto(row: PaymentRow): Payment {
  const amount = money(row.amount);
  const refunded = money(row.amount_refunded);
  // Field order as before: the method and its details right after the amount. Object.assign, not
  // spreads: V8 (Node 20) builds an object that spreads after other properties by a slow path
  // (17 µs a call against 1–1.8, bench/micro/payment-dto.mjs; three calls per payment).
  const details =
    row.method === 'upi' ? { method: 'upi' as const, vpa: row.vpa } : { method: 'card' as const, card_network: row.card_network, card_last4: row.card_last4 };
  return Object.assign({ id: row.id, entity: 'payment' as const, order_id: row.order_id, amount, currency: row.currency }, details, {
    status: row.status,
    error_code: row.error_code,
    error_description: row.error_description,
    captured: row.captured,
    amount_refunded: refunded,
    refundable_amount: row.status === 'success' ? amount - refunded : 0,
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  });
}

const paymentCommonFields = {
  id: 'string',
  entity: 'string',
  order_id: 'string',
  amount: 'number',
  currency: 'string',
} as const;
const paymentTailFields = {
  status: 'string',
  error_code: 'string?',
  error_description: 'string?',
  captured: 'boolean',
  amount_refunded: 'number',
  refundable_amount: 'number',
  created_at: 'string',
  updated_at: 'string',
} as const;
const writeUpiPayment = jsonWriter<UpiPayment>({ ...paymentCommonFields, method: 'string', vpa: 'string?', ...paymentTailFields });
const writeCardPayment = jsonWriter<CardPayment>({
  ...paymentCommonFields,
  method: 'string',
  card_network: 'string?',
  card_last4: 'string?',
  ...paymentTailFields,
});

/**
 * `JSON.stringify(dto)` of a payment's DTO, by a compiled writer for each method's shape: a
 * payment's snapshot is serialized once in the API and once in the worker that settles it, at
 * 17,000 instructions a time through `JSON.stringify` (docs/performance.md).
 */
export function paymentDtoText(dto: Payment): string {
  return dto.method === 'upi' ? writeUpiPayment(dto) : writeCardPayment(dto);
}

/**
 * The fields of a payment's DTO that its failure decides: what settling a would-be success as
 * failed changes in the DTO {@link toPaymentDto} made of it. A settlement that loses the order
 * makes the failure's event from the success's this way, in SQL, rather than carrying a second
 * snapshot of every would-be success for the few that lose.
 */
export function failedPaymentDtoFields(
  errorCode: string,
  errorDescription: string,
): Pick<Payment, 'status' | 'error_code' | 'error_description' | 'refundable_amount'> {
  return { status: 'failed', error_code: errorCode, error_description: errorDescription, refundable_amount: 0 };
}

export type RefundDto = Refund;
export function toRefundDto(row: RefundRow): Refund {
  return {
    id: row.id,
    entity: 'refund' as const,
    payment_id: row.payment_id,
    amount: money(row.amount),
    currency: row.currency,
    reason: row.reason,
    notes: row.notes ?? {},
    status: row.status,
    created_at: isoTimestamp(row.created_at),
    processed_at: isoTimestamp(row.processed_at),
  };
}

/**
 * The webhook envelope: the seed's `{event, timestamp, data}` plus a stable `id` that receivers
 * dedupe on and the payment's event `sequence`, since no one in this field guarantees order.
 */
export type { EventEnvelope };
export function toEventEnvelope(row: Pick<EventRow, 'id' | 'type' | 'created_at' | 'data' | 'sequence'>): EventEnvelope {
  return { id: row.id, event: row.type, timestamp: isoTimestamp(row.created_at), sequence: row.sequence, data: row.data };
}

/** An envelope's members but its data. */
const writeEnvelopeHead = jsonWriter<Omit<EventEnvelope, 'data'>>({ id: 'string', event: 'string', timestamp: 'string', sequence: 'number' });

/**
 * `JSON.stringify(toEventEnvelope(row))`, around the text of its data made already: the data (a
 * payment's snapshot) is most of a webhook's body, and a settlement has serialized it once for
 * the events' batch. Node 20 has no `JSON.rawJSON`; the head's compiled writer takes the data's
 * text as a member to add (see jsonWriter).
 */
export function eventEnvelopeText(row: Pick<EventRow, 'id' | 'type' | 'created_at' | 'sequence'>, dataText: string): string {
  return writeEnvelopeHead({ id: row.id, event: row.type, timestamp: isoTimestamp(row.created_at), sequence: row.sequence }, `,"data":${dataText}`);
}

export function toAttemptDto(row: WebhookAttemptRow): WebhookAttempt {
  return {
    attempt: row.attempt_number,
    url: row.url,
    attempted_at: isoTimestamp(row.attempted_at),
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    response_body: row.response_body,
    error: row.error,
    succeeded: row.succeeded,
  };
}

export type WebhookDeliveryDto = WebhookDelivery;
export function toWebhookDeliveryDto(
  row: DeliveryRow,
  event: Pick<EventRow, 'id' | 'type' | 'created_at' | 'data' | 'sequence'>,
  attempts: readonly WebhookAttemptRow[],
): WebhookDelivery {
  return {
    id: row.id,
    entity: 'webhook_delivery' as const,
    event: row.event,
    event_id: row.event_id,
    status: row.status,
    attempts: row.attempts,
    created_at: isoTimestamp(row.created_at),
    last_attempt_at: isoTimestamp(row.last_attempt_at),
    next_attempt_at: row.status === 'pending' ? isoTimestamp(row.next_attempt_at) : null,
    response_code: row.response_code,
    payload: toEventEnvelope(event),
    attempt_log: attempts.map(toAttemptDto),
  };
}
