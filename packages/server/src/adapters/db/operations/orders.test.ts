import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../../model/rows.js';
import { ordersJson } from './orders.js';

describe('ordersJson', () => {
  const at = new Date('2026-12-07T12:00:00.042Z');
  const row: OrderRow = {
    id: 'order_1',
    merchant_id: 'mer_1',
    amount: 50000,
    currency: 'INR',
    receipt: null,
    notes: null,
    status: 'created',
    created_at: at,
    updated_at: at,
    idempotency_ref: null,
  };

  it('is the text JSON.stringify gives the rows, with notes and receipts whose text needs escaping', () => {
    const rows: OrderRow[] = [
      row,
      { ...row, id: 'order_2', receipt: 'rcpt "7" \\ \u0001', notes: { gift: 'yes', note: 'ü 😀 "quoted"\n' }, idempotency_ref: 'idem_1' },
      { ...row, id: 'order_3', amount: 1, status: 'paid', updated_at: new Date(at.getTime() + 1500) },
    ];
    expect(ordersJson(rows)).toBe(JSON.stringify(rows));
    expect(JSON.parse(ordersJson(rows))).toHaveLength(3);
  });

  it('writes no rows as an empty array', () => {
    expect(ordersJson([])).toBe('[]');
  });
});
