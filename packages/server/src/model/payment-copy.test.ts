import { describe, expect, it } from 'vitest';
import { paymentCopy, paymentFromCopy } from './payment-copy.js';
import type { PaymentRow } from './rows.js';

const row: PaymentRow = {
  id: 'pay_1',
  merchant_id: 'mer_1',
  order_id: 'order_1',
  amount: 50_000,
  currency: 'INR',
  method: 'upi',
  vpa: 'success@paygate',
  card_network: null,
  card_last4: null,
  status: 'pending',
  error_code: null,
  error_description: null,
  captured: false,
  amount_refunded: 0,
  decided_status: 'failed',
  decided_error_code: 'PAYMENT_FAILED',
  decided_error_description: 'The payment failed.',
  refunds_fail: false,
  process_after: new Date('2026-12-01T08:00:01.250Z'),
  enqueued_at: new Date('2026-12-01T08:00:00.001Z'),
  event_sequence: 2,
  created_at: new Date('2026-12-01T08:00:00.000Z'),
  updated_at: new Date('2026-12-01T08:00:00.000Z'),
  processed_at: null,
  idempotency_ref: null,
};

describe('the copy of a new payment that its job carries', () => {
  it('is one line that gives back the row, timestamps as dates to the millisecond', () => {
    const text = paymentCopy(row);
    expect(text).not.toContain('\n');
    const back = paymentFromCopy('pay_1', text);
    expect(back).toEqual(row);
    expect(back?.created_at).toBeInstanceOf(Date);
  });

  it('is the text JSON.stringify gives the row, for a card payment settled with an error and a note to escape too', () => {
    expect(paymentCopy(row)).toBe(JSON.stringify(row));
    const settled: PaymentRow = {
      ...row,
      method: 'card',
      vpa: null,
      card_network: 'visa',
      card_last4: '4242',
      status: 'failed',
      error_code: 'PAYMENT_FAILED',
      error_description: 'Declined: "insufficient funds" \\ retry\n later',
      captured: true,
      processed_at: new Date('2026-12-01T08:00:02.999Z'),
      idempotency_ref: 'idem_1',
    };
    expect(paymentCopy(settled)).toBe(JSON.stringify(settled));
  });

  it("is refused when it is not a payment's copy of the job's id, so the worker reads the row instead", () => {
    const text = paymentCopy(row);
    expect(paymentFromCopy('pay_2', text)).toBeUndefined();
    expect(paymentFromCopy('pay_1', text.slice(0, -1))).toBeUndefined();
    expect(paymentFromCopy('pay_1', 'null')).toBeUndefined();
    expect(paymentFromCopy('pay_1', JSON.stringify({ ...row, event_sequence: '2' }))).toBeUndefined();
    expect(paymentFromCopy('pay_1', JSON.stringify({ ...row, created_at: 'yesterday' }))).toBeUndefined();
  });
});
