import { describe, expect, it } from 'vitest';
import { paymentResponse } from '../transports/http/response-schemas.js';
import type { PaymentRow } from './rows.js';
import { eventEnvelopeText, failedPaymentDtoFields, paymentDtoText, toEventEnvelope, toPaymentDto } from './wire.js';

const at = new Date('2026-11-30T08:00:00.000Z');
const later = new Date('2026-11-30T08:00:01.500Z');

function paymentRow(overrides: Partial<PaymentRow>): PaymentRow {
  return {
    id: 'pay_1',
    merchant_id: 'mer_1',
    order_id: 'order_1',
    amount: '50000' as unknown as number, // bigint columns arrive as text from pg
    currency: 'INR',
    method: 'card',
    vpa: null,
    card_network: 'visa',
    card_last4: '1111',
    status: 'success',
    error_code: null,
    error_description: null,
    captured: false,
    amount_refunded: 12000,
    decided_status: 'success',
    decided_error_code: null,
    decided_error_description: null,
    refunds_fail: false,
    process_after: at,
    enqueued_at: at,
    event_sequence: 3,
    created_at: at,
    updated_at: later,
    processed_at: later,
    idempotency_ref: null,
    ...overrides,
  };
}

describe('toPaymentDto', () => {
  it('writes a card payment with its fields in the documented order and no internal column', () => {
    const dto = toPaymentDto(paymentRow({}));
    expect(Object.keys(dto)).toEqual([
      'id',
      'entity',
      'order_id',
      'amount',
      'currency',
      'method',
      'card_network',
      'card_last4',
      'status',
      'error_code',
      'error_description',
      'captured',
      'amount_refunded',
      'refundable_amount',
      'created_at',
      'updated_at',
    ]);
    expect(dto).toMatchObject({ amount: 50000, amount_refunded: 12000, refundable_amount: 38000, updated_at: '2026-11-30T08:00:01.500Z' });
    expect(paymentResponse.safeParse(dto).success).toBe(true);
  });

  it('writes a UPI payment with its VPA in place of the card details', () => {
    const dto = toPaymentDto(paymentRow({ method: 'upi', vpa: 'shopper@okaxis', card_network: null, card_last4: null }));
    expect(Object.keys(dto).slice(4, 8)).toEqual(['currency', 'method', 'vpa', 'status']);
    expect(dto).not.toHaveProperty('card_last4');
    expect(paymentResponse.safeParse(dto).success).toBe(true);
  });

  it('has nothing refundable unless the payment succeeded', () => {
    expect(toPaymentDto(paymentRow({ status: 'failed', error_code: 'PAYMENT_DECLINED', error_description: 'Declined' })).refundable_amount).toBe(0);
    expect(toPaymentDto(paymentRow({ status: 'pending', amount_refunded: 0 })).refundable_amount).toBe(0);
  });
});

describe('paymentDtoText', () => {
  it('is the text JSON.stringify gives the DTO, for either method and any status', () => {
    const rows = [
      paymentRow({}),
      paymentRow({ method: 'upi', vpa: 'shopper@okaxis', card_network: null, card_last4: null, status: 'pending', amount_refunded: 0 }),
      paymentRow({ method: 'upi', vpa: null, card_network: null, card_last4: null }),
      paymentRow({
        card_network: null,
        card_last4: null,
        status: 'failed',
        error_code: 'PAYMENT_DECLINED',
        error_description: 'Declined "by the bank" \\ \u0001',
      }),
    ];
    for (const row of rows) {
      const dto = toPaymentDto(row);
      expect(paymentDtoText(dto)).toBe(JSON.stringify(dto));
    }
  });
});

describe('failedPaymentDtoFields', () => {
  it('turns the DTO of a would-be success into that of the same payment failed', () => {
    const success = paymentRow({ status: 'success', amount_refunded: 0 });
    const failed = paymentRow({ status: 'failed', amount_refunded: 0, error_code: 'ORDER_ALREADY_PAID', error_description: 'The order is paid already.' });
    expect(toPaymentDto(success).refundable_amount).toBe(50000);
    expect({ ...toPaymentDto(success), ...failedPaymentDtoFields('ORDER_ALREADY_PAID', 'The order is paid already.') }).toEqual(toPaymentDto(failed));
  });
});

describe('eventEnvelopeText', () => {
  it('is the text of the envelope toEventEnvelope makes, around the text of its data', () => {
    const event = { id: 'evt_1', type: 'payment.success', created_at: at, sequence: 3, data: { payment: toPaymentDto(paymentRow({})) } };
    expect(eventEnvelopeText(event, JSON.stringify(event.data))).toBe(JSON.stringify(toEventEnvelope(event)));
  });
});
