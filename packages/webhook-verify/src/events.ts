/** The payment events Paygate sends, in lifecycle order. */
export const PAYMENT_EVENT_NAMES = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
] as const;

/** The refund events Paygate sends, in lifecycle order. */
export const REFUND_EVENT_NAMES = ['refund.created', 'refund.processed', 'refund.failed'] as const;

/** Every event name Paygate sends. */
export const PAYGATE_EVENT_NAMES = [...PAYMENT_EVENT_NAMES, ...REFUND_EVENT_NAMES] as const;

/** A payment event name, such as `payment.success`. */
export type PaymentEventName = (typeof PAYMENT_EVENT_NAMES)[number];
/** A refund event name, such as `refund.processed`. */
export type RefundEventName = (typeof REFUND_EVENT_NAMES)[number];
/** Any event name Paygate sends. */
export type PaygateEventName = PaymentEventName | RefundEventName;

/** A payment as it was when the event happened (a snapshot, not the current state). */
export interface WebhookPayment {
  id: string;
  order_id: string;
  /** Integer minor units (paise for INR): 50000 is ₹500.00. */
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  vpa?: string;
  card_network?: string;
  card_last4?: string;
  status: 'pending' | 'success' | 'failed';
  error_code?: string;
  error_description?: string;
  captured: boolean;
  /** Integer minor units refunded so far. */
  amount_refunded: number;
  /** Integer minor units that can still be refunded. */
  refundable_amount: number;
  created_at: string;
  updated_at: string;
  /**
   * Per-payment event counter. Webhooks can arrive out of order (every sender's retries can
   * reorder them), so ignore an event whose `sequence` is lower than one you already applied.
   */
  sequence: number;
}

/** A refund as it was when the event happened. */
export interface WebhookRefund {
  id: string;
  payment_id: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  reason?: string;
  status: 'pending' | 'processed' | 'failed';
  created_at: string;
  processed_at?: string;
}

/** The envelope of a payment event; `E` narrows the event name. */
export interface PaymentWebhookEvent<E extends PaymentEventName = PaymentEventName> {
  /** The event id (`evt_…`): the same on every delivery attempt, so dedupe on it. */
  id: string;
  event: E;
  /** When the event happened (ISO-8601); unlike `webhook-timestamp` it does not change on retries. */
  timestamp: string;
  data: { payment: WebhookPayment };
}

/** The envelope of a refund event; `E` narrows the event name. */
export interface RefundWebhookEvent<E extends RefundEventName = RefundEventName> {
  /** The event id (`evt_…`): the same on every delivery attempt, so dedupe on it. */
  id: string;
  event: E;
  /** When the event happened (ISO-8601); unlike `webhook-timestamp` it does not change on retries. */
  timestamp: string;
  data: { refund: WebhookRefund };
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
  | { [E in PaymentEventName]: PaymentWebhookEvent<E> }[PaymentEventName]
  | { [E in RefundEventName]: RefundWebhookEvent<E> }[RefundEventName];

/** The event type for one event name: `EventOf<'payment.success'>`. */
export type EventOf<N extends PaygateEventName> = Extract<PaygateWebhookEvent, { event: N }>;

/** True when `name` is an event name this version of the package knows. */
export function isPaygateEventName(name: unknown): name is PaygateEventName {
  return typeof name === 'string' && (PAYGATE_EVENT_NAMES as readonly string[]).includes(name);
}
