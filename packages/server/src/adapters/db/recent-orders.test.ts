import { describe, expect, it } from 'vitest';
import { RecentOrders } from './recent-orders.js';

const order = (id: string, merchantId = 'mer_1', amount = 100, currency = 'INR') => ({ id, merchant_id: merchantId, amount, currency });

describe('RecentOrders (the orders a payment need not read again)', () => {
  it("keeps at most its capacity, forgetting those remembered longest ago first, and never answers for another merchant's order", () => {
    const recent = new RecentOrders(4); // two generations of two
    recent.remember(order('order_1'));
    recent.remember(order('order_2', 'mer_2')); // the first generation is full: it becomes the previous one
    recent.remember(order('order_1')); // remembered again: now in the newest generation
    recent.remember(order('order_3')); // full again: the generation holding order_2 is dropped
    expect(recent.get({ merchantId: 'mer_1', id: 'order_1' })?.id).toBe('order_1');
    expect(recent.get({ merchantId: 'mer_2', id: 'order_2' })).toBeUndefined();
    expect(recent.get({ merchantId: 'mer_1', id: 'order_3' })?.id).toBe('order_3');
    expect(recent.get({ merchantId: 'mer_2', id: 'order_3' })).toBeUndefined();
  });

  it('gives back the terms it was given: the id, the amount in minor units and the currency', () => {
    const recent = new RecentOrders(10);
    recent.remember(order('order_A', 'mer_1', 4_321, 'INR'));
    recent.remember({ ...order('order_B', 'mer_1', 0, 'USD'), amount: '900719925474099' }); // a bigint column, as pg gives it
    expect(recent.get({ merchantId: 'mer_1', id: 'order_A' })).toEqual({ id: 'order_A', amount: 4_321, currency: 'INR' });
    expect(recent.get({ merchantId: 'mer_1', id: 'order_B' })).toEqual({ id: 'order_B', amount: 900_719_925_474_099, currency: 'USD' });
  });

  it('never holds more than its capacity, however many orders pass through', () => {
    const recent = new RecentOrders(10);
    for (let i = 0; i < 1_000; i += 1) recent.remember(order(`order_${i}`));
    const held = Array.from({ length: 1_000 }, (_, i) => recent.get({ merchantId: 'mer_1', id: `order_${i}` })).filter(Boolean);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(10);
    expect(recent.get({ merchantId: 'mer_1', id: 'order_999' })?.id).toBe('order_999'); // the newest is always there
  });

  it("answers every order it holds with that order's own terms, through many generations", () => {
    const recent = new RecentOrders(1_000); // generations of 500
    const amountOf = (i: number) => 1_000 + i;
    for (let i = 0; i < 5_000; i += 1) recent.remember(order(`order_${i.toString(36).padStart(16, '0')}`, `mer_${i % 7}`, amountOf(i)));
    let held = 0;
    for (let i = 0; i < 5_000; i += 1) {
      const id = `order_${i.toString(36).padStart(16, '0')}`;
      const found = recent.get({ merchantId: `mer_${i % 7}`, id });
      if (i >= 4_500) expect(found, `the newest half-capacity is always held (${i})`).toBeDefined();
      if (found) {
        held += 1;
        expect(found).toEqual({ id, amount: amountOf(i), currency: 'INR' });
      }
      expect(recent.get({ merchantId: `mer_${(i + 1) % 7}`, id })).toBeUndefined();
    }
    expect(held).toBeLessThanOrEqual(1_000);
  });
});
