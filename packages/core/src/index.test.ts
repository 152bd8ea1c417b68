import { describe, expect, expectTypeOf, it } from 'vitest';
import * as core from './index.js';
import type {
  CreateOrderInput,
  CreatePaymentInput,
  CurrencyCode,
  DeliveryStatus,
  ErrorCode,
  MagicOutcome,
  Money,
  OrderId,
  OrderStatus,
  PaymentErrorCode,
  PaymentStatus,
  RefundStatus,
} from './index.js';

// The names the server, CLI and checkout are written against: renaming one must fail here.
const FUNCTIONS = [
  'httpStatusOf',
  'exitCodeOf',
  'isPaygateError',
  'toErrorBody',
  'newId',
  'isId',
  'parseId',
  'isCurrencyCode',
  'currencyExponent',
  'isValidAmount',
  'toMajorUnits',
  'formatMoney',
  'transition',
  'canTransition',
  'isTerminal',
  'remainingRefundable',
  'assertRefundable',
  'webhookKeyBytes',
  'signStandardWebhook',
  'signLegacyWebhook',
  'webCryptoHmacSha256',
  'buildWebhookHeaders',
  'generateWebhookSecret',
  'generateApiSecret',
  'generateApiKey',
  'hashApiSecret',
  'webCryptoSha256',
  'nextAttempt',
  'parseRetryAfter',
  'classifyInstrument',
  'decidePayment',
  'normalizeCardNumber',
  'luhnCheck',
  'detectCardNetwork',
  'cardLast4',
  'isCardExpired',
  'cvvLengthFor',
  'isValidVpa',
  'makeCreatePaymentSchema',
  'parseInput',
] as const;

const VALUES = [
  'ERROR_CODES',
  'PaygateError',
  'ID_PREFIXES',
  'CURRENCIES',
  'MAX_AMOUNT',
  'ORDER_MACHINE',
  'PAYMENT_MACHINE',
  'REFUND_MACHINE',
  'DELIVERY_MACHINE',
  'RETRY_SCHEDULES',
  'MAX_DELIVERY_ATTEMPTS',
  'MAGIC_VALUES',
  'createOrderSchema',
  'createPaymentSchema',
  'createRefundSchema',
  'listQuerySchema',
  'webhookConfigSchema',
  'createMerchantSchema',
  'clockAdvanceSchema',
] as const;

describe('@paygate/core public surface', () => {
  it.each(FUNCTIONS)('exports function %s', (name) => {
    expect(typeof core[name]).toBe('function');
  });

  it.each(VALUES)('exports %s', (name) => {
    expect(core[name]).toBeDefined();
  });

  it('exports the agreed types', () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof core.ERROR_CODES>();
    expectTypeOf<OrderId>().toEqualTypeOf<`order_${string}`>();
    expectTypeOf<CurrencyCode>().toExtend<string>();
    expectTypeOf<Money>().toEqualTypeOf<{ amount: number; currency: CurrencyCode }>();
    expectTypeOf<OrderStatus>().toEqualTypeOf<'created' | 'attempted' | 'paid'>();
    expectTypeOf<PaymentStatus>().toEqualTypeOf<'pending' | 'success' | 'failed'>();
    expectTypeOf<RefundStatus>().toEqualTypeOf<'pending' | 'processed' | 'failed'>();
    expectTypeOf<DeliveryStatus>().toEqualTypeOf<'pending' | 'success' | 'failed'>();
    expectTypeOf<PaymentErrorCode>().toEqualTypeOf<
      'CARD_DECLINED' | 'INSUFFICIENT_FUNDS' | 'EXPIRED_CARD' | 'PROCESSING_ERROR' | 'UPI_DECLINED' | 'PAYMENT_FAILED' | 'ORDER_ALREADY_PAID'
    >();
    expectTypeOf<MagicOutcome>().toEqualTypeOf<
      { status: 'success'; refundsFail?: true } | { status: 'failed'; errorCode: PaymentErrorCode; errorDescription: string }
    >();
    expectTypeOf<CreateOrderInput['amount']>().toEqualTypeOf<number>();
    expectTypeOf<CreatePaymentInput['method']>().toEqualTypeOf<'upi' | 'card'>();
  });
});
