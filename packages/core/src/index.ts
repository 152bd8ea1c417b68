// The public surface of @paygate/core: the domain (see domain.ts) and the input schemas, an
// explicit list, so nothing internal leaks by accident.
export * from './domain.js';

// schemas
export { MAX_NOTES_KEYS, MAX_NOTE_LENGTH } from './schemas/fields.js';
export type { ClockAwareSchema } from './schemas/clock-aware.js';
export { createOrderSchema, MAX_RECEIPT_LENGTH } from './schemas/order.js';
export type { CreateOrderInput } from './schemas/order.js';
export { createPaymentSchema, makeCreatePaymentSchema, MAX_CARD_NAME_LENGTH } from './schemas/payment.js';
export type { CreatePaymentSchema, CreatePaymentInput, CreateUpiPaymentInput, CreateCardPaymentInput } from './schemas/payment.js';
export { createRefundSchema, MAX_REFUND_REASON_LENGTH } from './schemas/refund.js';
export type { CreateRefundInput } from './schemas/refund.js';
export { listQuerySchema, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT } from './schemas/list-query.js';
export type { ListQueryInput } from './schemas/list-query.js';
export { webhookConfigSchema, MAX_WEBHOOK_URL_LENGTH } from './schemas/webhook-config.js';
export type { WebhookConfigInput } from './schemas/webhook-config.js';
export { createMerchantSchema } from './schemas/merchant.js';
export type { CreateMerchantInput } from './schemas/merchant.js';
export { clockAdvanceSchema, MAX_CLOCK_ADVANCE_SECONDS } from './schemas/clock.js';
export type { ClockAdvanceInput } from './schemas/clock.js';
export { parseInput } from './schemas/parse-input.js';
export { findNulByte, rejectNulBytes } from './schemas/nul-bytes.js';
