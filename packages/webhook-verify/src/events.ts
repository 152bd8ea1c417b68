/** The payment events Paygate sends, in lifecycle order. */
export const PAYMENT_EVENT_NAMES = ['payment.created', 'payment.pending', 'payment.success', 'payment.failed'] as const;

/** The refund events Paygate sends, in lifecycle order. */
export const REFUND_EVENT_NAMES = ['refund.created', 'refund.processed', 'refund.failed'] as const;

/** The event `POST /api/v1/webhooks/test` (and `pg-cli`) sends to check an endpoint. */
export const WEBHOOK_TEST_EVENT_NAME = 'webhook.test';

/** Every event name Paygate sends. */
export const PAYGATE_EVENT_NAMES = [...PAYMENT_EVENT_NAMES, ...REFUND_EVENT_NAMES, WEBHOOK_TEST_EVENT_NAME] as const;

/** A payment event name, such as `payment.success`. */
export type PaymentEventName = (typeof PAYMENT_EVENT_NAMES)[number];
/** A refund event name, such as `refund.processed`. */
export type RefundEventName = (typeof REFUND_EVENT_NAMES)[number];
/** The name of the endpoint test event. */
export type WebhookTestEventName = typeof WEBHOOK_TEST_EVENT_NAME;
/** Any event name Paygate sends. */
export type PaygateEventName = PaymentEventName | RefundEventName | WebhookTestEventName;

/** A payment as it was when the event happened (a snapshot, not the current state). */
export interface WebhookPayment {
  id: string;
  entity: 'payment';
  order_id: string;
  /** Integer minor units (paise for INR): 50000 is ₹500.00. */
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  /** UPI payments only. */
  vpa?: string | null;
  /** Card payments only. */
  card_network?: string | null;
  /** Card payments only. */
  card_last4?: string | null;
  status: 'pending' | 'success' | 'failed';
  /** Set when `status` is `failed`. */
  error_code?: string | null;
  error_description?: string | null;
  captured: boolean;
  /** Integer minor units refunded so far. */
  amount_refunded: number;
  /** Integer minor units that can still be refunded. */
  refundable_amount: number;
  created_at: string;
  updated_at: string;
}

/** A refund as it was when the event happened. */
export interface WebhookRefund {
  id: string;
  entity: 'refund';
  payment_id: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  reason?: string | null;
  notes?: Record<string, string>;
  status: 'pending' | 'processed' | 'failed';
  created_at: string;
  processed_at?: string | null;
}

/** Fields every event envelope has. */
interface EnvelopeFields {
  /** The event id (`evt_…`): the same on every delivery attempt, so dedupe on it. */
  id: string;
  /** When the event happened (ISO-8601); unlike `webhook-timestamp` it does not change on retries. */
  timestamp: string;
  /**
   * The payment's event counter (refund events continue their payment's count). Webhooks can
   * arrive out of order (retries reorder them, for every sender), so ignore an event whose
   * `sequence` is lower than one you already applied for the same payment.
   */
  sequence: number;
}

/** The envelope of a payment event; `E` narrows the event name. */
export interface PaymentWebhookEvent<E extends PaymentEventName = PaymentEventName> extends EnvelopeFields {
  event: E;
  data: { payment: WebhookPayment };
}

/** The envelope of a refund event; `E` narrows the event name. */
export interface RefundWebhookEvent<E extends RefundEventName = RefundEventName> extends EnvelopeFields {
  event: E;
  data: { refund: WebhookRefund };
}

/** The endpoint test event: verify it like any other and answer 2xx. */
export interface WebhookTestEvent extends EnvelopeFields {
  event: WebhookTestEventName;
  data: { message: string };
}

/**
 * Any Paygate webhook event, discriminated by `event`: after `if (e.event === 'refund.processed')`
 * TypeScript knows `e.data.refund` exists.
 *
 * @remarks Events added by a newer Paygate pass verification too (rejecting them would make
 * Paygate retry a delivery you can never accept), so give your `switch` a `default` that
 * acknowledges and ignores them.
 */
export type PaygateWebhookEvent =
  { [E in PaymentEventName]: PaymentWebhookEvent<E> }[PaymentEventName] | { [E in RefundEventName]: RefundWebhookEvent<E> }[RefundEventName] | WebhookTestEvent;

/** The event type for one event name: `EventOf<'payment.success'>`. */
export type EventOf<N extends PaygateEventName> = Extract<PaygateWebhookEvent, { event: N }>;

/** True when `name` is an event name this version of the package knows. */
export function isPaygateEventName(name: unknown): name is PaygateEventName {
  return typeof name === 'string' && (PAYGATE_EVENT_NAMES as readonly string[]).includes(name);
}
