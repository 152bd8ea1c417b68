import type { Knex } from 'knex';
import { WEBHOOK_EVENT_TYPES, newId, type WebhookEventType } from '@paygate/core';
import { paymentDtoText, toPaymentDto, toRefundDto, type PaymentDto } from '../model/wire.js';
import { insertEventsWithDeliveries, type EventToRecord } from '../adapters/db/operations/events.js';
import type { EventRow, PaymentRow, RefundRow } from '../model/rows.js';
import type { AfterCommit } from './unit-of-work.js';

/** Every event type the gateway emits (core's list; plus `webhook.test` from POST /webhooks/test). */
export const EVENT_TYPES = WEBHOOK_EVENT_TYPES;
export type EventType = WebhookEventType | 'webhook.test';

/**
 * A payment as its events carry it, and that data's JSON text, made once for every event and
 * webhook that carries it; `paymentText` is the payment's own JSON inside it (a new payment's
 * answer sends it).
 */
export type PaymentSnapshot = { data: { payment: PaymentDto }; text: string; paymentText: string };
export function paymentSnapshot(payment: PaymentRow): PaymentSnapshot {
  const data = { payment: toPaymentDto(payment) };
  const paymentText = paymentDtoText(data.payment);
  return { data, text: `{"payment":${paymentText}}`, paymentText };
}

/**
 * An event about a payment, carrying a snapshot of it. `sequence` is the payment's counter.
 * Events of one moment (a new payment's `payment.created` and `payment.pending`) share `snapshot`.
 */
export function paymentEvent(
  type: EventType,
  payment: PaymentRow,
  sequence: number,
  now: Date,
  snapshot: PaymentSnapshot = paymentSnapshot(payment),
  id: string = newId('event'),
): EventToRecord {
  return {
    id,
    merchant_id: payment.merchant_id,
    type,
    payment_id: payment.id,
    sequence,
    data: snapshot.data,
    dataText: snapshot.text,
    created_at: now,
  };
}

/** An event about a refund; its sequence continues the payment's. */
export function refundEvent(type: EventType, refund: RefundRow, sequence: number, now: Date): EventRow {
  return {
    id: newId('event'),
    merchant_id: refund.merchant_id,
    type,
    payment_id: refund.payment_id,
    sequence,
    data: { refund: toRefundDto(refund) },
    created_at: now,
  };
}

/**
 * Records events with their webhook deliveries inside `trx`, and has them announced once it
 * commits (see announceEvents).
 */
export async function recordEvents(trx: Knex.Transaction, after: AfterCommit, events: readonly EventRow[], realNow: Date): Promise<void> {
  announceEvents(after, events, await insertEventsWithDeliveries({ db: trx, events, realNow }));
}

/** After commit: queue the events' webhook deliveries, and wake their merchants' live streams. */
export function announceEvents(after: AfterCommit, events: readonly EventRow[], deliveryIds: readonly string[]): void {
  after.enqueue('deliveries', deliveryIds);
  after.announce(events.map((e) => e.merchant_id));
}
