/**
 * Every webhook event type Paygate sends (DESIGN.md "Payment lifecycle and events"): the seed's
 * six plus `refund.failed`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
  'refund.failed',
] as const;

/** A webhook event type such as `'payment.success'`. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Whether `value` is a webhook event type (for `pg-cli trigger <event>` and filters). */
export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
