// @paygate/core/domain: the public surface of @paygate/core less its input schemas, an explicit
// list, so nothing internal leaks by accident. Nothing here loads zod (the schemas' library, a
// hundred modules): pg-cli's client commands import this, and start 0.1–0.15 s sooner for it.

// errors
export { ERROR_CODES, HTTP_STATUS_BY_CODE, EXIT_CODE_BY_CODE, isErrorCode, httpStatusOf, exitCodeOf } from './errors/error-codes.js';
export type { ErrorCode, ErrorCodeInfo } from './errors/error-codes.js';
export { PaygateError, isPaygateError, setClientErrorStacks, toErrorBody, withoutClientErrorStacks } from './errors/paygate-error.js';
export type { PaygateErrorOptions, ErrorBody } from './errors/paygate-error.js';

// ids
export { ID_PREFIXES, ID_RANDOM_LENGTH, newId, isId, parseId, idPattern } from './ids/ids.js';
export type { IdKind, IdOf, OrderId, PaymentId, RefundId, EventId, DeliveryId, MerchantId } from './ids/ids.js';
export type { RandomBytes } from './internal/random.js';

// money
export { CURRENCIES, CURRENCY_CODES, DEFAULT_CURRENCY, isCurrencyCode, currencyExponent } from './money/currencies.js';
export type { CurrencyCode } from './money/currencies.js';
export { MAX_AMOUNT, isValidAmount, toMajorUnits, formatMoney } from './money/money.js';
export type { Money } from './money/money.js';

export { remainingRefundable, assertRefundable, OVER_REFUND_DESCRIPTION } from './money/refund-ledger.js';

// state machines
export { defineMachine, transition, canTransition, isTerminal, statesOf, allowedEvents } from './machines/machine.js';
export type { Machine, StateOf, EventOf } from './machines/machine.js';
export { ORDER_MACHINE } from './machines/order-machine.js';
export type { OrderStatus, OrderEvent } from './machines/order-machine.js';
export { PAYMENT_MACHINE } from './machines/payment-machine.js';
export type { PaymentStatus, PaymentEvent } from './machines/payment-machine.js';
export { REFUND_MACHINE } from './machines/refund-machine.js';
export type { RefundStatus, RefundEvent } from './machines/refund-machine.js';
export { DELIVERY_MACHINE } from './machines/delivery-machine.js';
export type { DeliveryStatus, DeliveryEvent } from './machines/delivery-machine.js';

// webhooks: signing, headers, secrets, event types
export {
  WEBHOOK_SECRET_PREFIX,
  STANDARD_SIGNATURE_VERSION,
  webhookKeyBytes,
  signStandardWebhook,
  signLegacyWebhook,
  webCryptoHmacSha256,
} from './webhook/sign.js';
export type { HmacSha256 } from './webhook/sign.js';
export { WEBHOOK_HEADERS, buildWebhookHeaders } from './webhook/headers.js';
export { WEBHOOK_SECRET_BYTES, generateWebhookSecret, generateApiSecret, generateApiKey, hashApiSecret, webCryptoSha256 } from './webhook/secret.js';
export type { Sha256 } from './webhook/secret.js';
export { WEBHOOK_EVENT_TYPES, isWebhookEventType } from './webhook/events.js';
export type { WebhookEventType } from './webhook/events.js';

// retry policy
export { RETRY_SCHEDULES, MAX_DELIVERY_ATTEMPTS, DEFAULT_MAX_RETRY_AFTER_MS, nextAttempt, parseRetryAfter } from './retry/retry-policy.js';
export type { RetryDecision, NextAttemptOptions } from './retry/retry-policy.js';

// simulated processor
export { MAGIC_VALUES, PAYMENT_ERROR_DESCRIPTIONS, classifyInstrument, formatMagicValuesTable } from './processor/magic-values.js';
export type { PaymentErrorCode, MagicOutcome, MagicValue, InstrumentInput } from './processor/magic-values.js';
export { UPI_SUCCESS_RATE, CARD_SUCCESS_RATE, MIN_PROCESSING_DELAY_MS, MAX_PROCESSING_DELAY_MS, decidePayment } from './processor/simulated-processor.js';
export type { ProcessorSettings, PaymentDecision } from './processor/simulated-processor.js';

// instruments
export { CARD_NETWORKS, normalizeCardNumber, luhnCheck, detectCardNetwork, cardLast4, isCardExpired, cvvLengthFor } from './instruments/card.js';
export type { CardNetwork } from './instruments/card.js';
export { VPA_PATTERN, isValidVpa } from './instruments/vpa.js';
