import { describe, expect, it } from 'vitest';
import type { PaymentRow } from '../model/rows.js';
import { PaymentCopies } from './payment-copies.js';

const copy = (id: string) => ({ id, status: 'pending' }) as PaymentRow;

describe('the payment copies a worker keeps for its settlements', () => {
  it('hands each out once, and none it was not given', () => {
    const copies = new PaymentCopies(10);
    copies.remember(copy('pay_1'));
    expect([...copies.take(['pay_1', 'pay_9']).keys()]).toEqual(['pay_1']);
    expect(copies.take(['pay_1']).size).toBe(0);
  });

  it('keeps at most its capacity, forgetting the oldest first (a copy given again is the newest)', () => {
    const copies = new PaymentCopies(2);
    for (const id of ['pay_1', 'pay_2', 'pay_1', 'pay_3']) copies.remember(copy(id));
    expect([...copies.take(['pay_1', 'pay_2', 'pay_3']).keys()]).toEqual(['pay_1', 'pay_3']);
  });
});
