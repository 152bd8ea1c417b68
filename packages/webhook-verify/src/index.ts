// The public API of @paygate/webhook-verify. Anything not listed here is internal.
export { verifyWebhook, verifyWebhookSignature } from './verify.js';
export type { RawBody, VerifiedWebhookSignature, VerifyWebhookOptions, WebhookSecrets } from './verify-types.js';
export { signLegacyWebhook, signWebhook, type SignWebhookInput } from './sign.js';
export { WEBHOOK_VERIFICATION_REASONS, WebhookVerificationError, isWebhookVerificationError, type WebhookVerificationReason } from './errors.js';
export type { HeadersLike, WebhookHeaders } from './headers.js';
export {
  PAYGATE_EVENT_NAMES,
  PAYMENT_EVENT_NAMES,
  REFUND_EVENT_NAMES,
  WEBHOOK_TEST_EVENT_NAME,
  isPaygateEventName,
  type EventOf,
  type PaygateEventName,
  type PaygateWebhookEvent,
  type PaymentEventName,
  type PaymentWebhookEvent,
  type RefundEventName,
  type RefundWebhookEvent,
  type WebhookPayment,
  type WebhookRefund,
  type WebhookTestEvent,
  type WebhookTestEventName,
} from './events.js';
