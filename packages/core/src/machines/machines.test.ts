import { describe, expect, it } from 'vitest';
import { DELIVERY_MACHINE, type DeliveryStatus } from './delivery-machine.js';
import { transition } from './machine.js';
import { ORDER_MACHINE } from './order-machine.js';
import { PAYMENT_MACHINE } from './payment-machine.js';
import { REFUND_MACHINE } from './refund-machine.js';

// The exact tables: a changed transition must change this test too (DESIGN.md lifecycle).
describe('machine tables', () => {
  it('order: created → attempted → paid, attempts repeat, paid is terminal', () => {
    expect(ORDER_MACHINE.name).toBe('order');
    expect(ORDER_MACHINE.table).toEqual({
      created: { attempt: 'attempted', pay: 'paid' },
      attempted: { attempt: 'attempted', pay: 'paid' },
      paid: {},
    });
  });

  it('payment: pending → success | failed', () => {
    expect(PAYMENT_MACHINE.name).toBe('payment');
    expect(PAYMENT_MACHINE.table).toEqual({ pending: { succeed: 'success', fail: 'failed' }, success: {}, failed: {} });
  });

  it('refund: pending → processed | failed', () => {
    expect(REFUND_MACHINE.name).toBe('refund');
    expect(REFUND_MACHINE.table).toEqual({ pending: { process: 'processed', fail: 'failed' }, processed: {}, failed: {} });
  });

  it('delivery: retries stay pending, give_up/disable fail, manual retry and replay return to pending', () => {
    expect(DELIVERY_MACHINE.name).toBe('webhook delivery');
    expect(DELIVERY_MACHINE.table).toEqual({
      pending: { deliver: 'success', schedule_retry: 'pending', give_up: 'failed', disable: 'failed' },
      success: { retry_manually: 'pending' },
      failed: { retry_manually: 'pending' },
    });
  });

  it('plays out a full delivery story', () => {
    let s: DeliveryStatus = 'pending';
    for (let i = 0; i < 4; i++) s = transition(DELIVERY_MACHINE, s, 'schedule_retry');
    s = transition(DELIVERY_MACHINE, s, 'give_up');
    expect(s).toBe('failed');
    s = transition(DELIVERY_MACHINE, s, 'retry_manually');
    expect(transition(DELIVERY_MACHINE, s, 'deliver')).toBe('success');
  });
});
