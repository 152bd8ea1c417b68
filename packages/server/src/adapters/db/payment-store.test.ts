import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../metrics.js';
import type { EventRow, OrderRow, PaymentRow } from '../../model/rows.js';
import type { OrderMove, PaymentToInsert } from '../../ports/payment-store.js';
import { createPaymentStore } from './payment-store.js';

type Statement = { name: string | undefined; sql: string; bindings: unknown[] };

/**
 * A knex handle that records every statement and answers the payment path's ones: a batch insert
 * fails while `failShared` is set; a payment alone goes in unless its order is in `ordersTaken`.
 */
function fakeDb(orders: OrderRow[]) {
  const statements: Statement[] = [];
  const state = { failShared: false, ordersTaken: new Set<string>() };
  const answer = (sql: string, bindings: unknown[]) => {
    if (sql.startsWith('SELECT * FROM orders WHERE id = ?')) return { rows: orders.filter((o) => o.id === bindings[0] && o.merchant_id === bindings[1]) };
    if (sql.startsWith('SELECT * FROM orders WHERE id = ANY')) return { rows: orders.filter((o) => (bindings[0] as string[]).includes(o.id)) };
    if (sql.includes('jsonb_populate_recordset(NULL::payments')) {
      if (state.failShared) throw new Error('a shared statement failed');
      // One row per payment, then one per delivery (one per event), as the statement answers.
      const payments = (JSON.parse(bindings[0] as string) as PaymentRow[]).map((p) => ({ payment_id: p.id, delivery_id: null }));
      const events = JSON.parse(bindings[6] as string) as Array<{ id: string; merchant_id: string }>;
      const leaseUntil = bindings.length === 9 ? bindings[8] : null; // the leased statement's last parameter
      const deliveries = events.map((e) => ({
        payment_id: null,
        delivery_id: `whd_${e.id.slice(4)}`,
        event_id: e.id,
        merchant_id: e.merchant_id,
        locked_until: leaseUntil,
        webhook_url: leaseUntil ? 'https://merchant.test/hooks' : null,
        webhook_secret: leaseUntil ? 'whsec_1' : null,
        previous_webhook_secret: null,
        previous_webhook_secret_expires_at: null,
        webhook_enabled: leaseUntil ? true : null,
      }));
      return { rows: [...payments, ...deliveries] };
    }
    if (sql.includes('INSERT INTO payments')) {
      const inserted = !bindings.some((b) => state.ordersTaken.has(String(b)));
      return { rows: [{ inserted, delivery_ids: inserted ? [`whd_of_${String(bindings[0])}`] : [] }] };
    }
    throw new Error(`unexpected statement: ${sql}`);
  };
  const db = {
    raw(sql: string, bindings: unknown[]) {
      const statement: Statement = { name: undefined, sql, bindings };
      statements.push(statement);
      const run = Promise.resolve().then(() => answer(sql, bindings));
      return Object.assign(run, {
        options(o: { name: string }) {
          statement.name = o.name;
          return run;
        },
      });
    },
  };
  return { db: db as unknown as Knex, statements, state };
}

const at = new Date('2026-01-01T00:00:00Z');
const order = (id: string, merchantId = 'mer_1'): OrderRow => ({
  id,
  merchant_id: merchantId,
  amount: 100,
  currency: 'INR',
  receipt: null,
  notes: null,
  status: 'created',
  created_at: at,
  updated_at: at,
  idempotency_ref: null,
});
const ATTEMPT: OrderMove = { from: ['created', 'attempted'], to: 'attempted' };
const payment = (id: string, orderMove = ATTEMPT, leaseUntil?: Date): PaymentToInsert => ({
  row: { id, merchant_id: 'mer_1', order_id: `order_${id}`, updated_at: at, enqueued_at: at } as PaymentRow,
  events: [{ id: `evt_of_${id}`, merchant_id: 'mer_1', type: 'payment.created', payment_id: id, sequence: 1, data: {}, created_at: at }] satisfies EventRow[],
  orderMove,
  ...(leaseUntil ? { leaseUntil } : {}),
});

describe('the payment store (group commit behind the port)', () => {
  it('idle, runs each call alone by its prepared single-row statement', async () => {
    const { db, statements } = fakeDb([order('order_1')]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    expect((await store.findOrder({ merchantId: 'mer_1', id: 'order_1' }))?.id).toBe('order_1');
    expect(await store.findOrder({ merchantId: 'mer_other', id: 'order_1' })).toBeUndefined();
    expect(await store.insertPayment(payment('pay_1'))).toEqual({ inserted: true, deliveryIds: ['whd_of_pay_1'] });
    expect(statements.map((s) => s.name)).toEqual(['find_order', 'find_order', 'insert_payment_with_events']);
  });

  it('serves the calls in flight together with one statement, and answers each with its own result', async () => {
    const { db, statements } = fakeDb([order('order_1'), order('order_2')]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    const found = await Promise.all([
      store.findOrder({ merchantId: 'mer_1', id: 'order_1' }),
      store.findOrder({ merchantId: 'mer_1', id: 'order_2' }),
      store.findOrder({ merchantId: 'mer_other', id: 'order_2' }),
    ]);
    expect(found.map((o) => o?.id)).toEqual(['order_1', 'order_2', undefined]);
    const inserted = await Promise.all(['pay_1', 'pay_2', 'pay_3'].map((id) => store.insertPayment(payment(id))));
    expect(inserted.map((i) => i.deliveryIds)).toEqual([['whd_of_pay_1'], ['whd_of_pay_2'], ['whd_of_pay_3']]);
    expect(statements.map((s) => [s.name, s.sql.slice(0, 40)])).toEqual([
      [undefined, 'SELECT * FROM orders WHERE id = ANY (?::'],
      [undefined, expect.stringContaining('WITH v AS (')],
    ]);
  });

  it("writes a payment's JSON as the caller made it (its job's copy), and serializes the rows of the others", async () => {
    const { db, statements } = fakeDb([]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    const made = payment('pay_1');
    const rowJson = JSON.stringify({ ...made.row, note: 'made once by the caller' });
    await Promise.all([store.insertPayment({ ...made, rowJson }), store.insertPayment(payment('pay_2'))]);
    const [insert] = statements.filter((s) => s.sql.includes('jsonb_populate_recordset(NULL::payments'));
    expect(insert!.bindings[0]).toBe(`[${rowJson},${JSON.stringify(payment('pay_2').row)}]`);
  });

  it('retries each call alone when the shared statement fails, or when the calls cannot share one', async () => {
    const { db, statements, state } = fakeDb([]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    state.failShared = true;
    const failed = await Promise.all([store.insertPayment(payment('pay_1')), store.insertPayment(payment('pay_2'))]);
    expect(failed.map((i) => i.inserted)).toEqual([true, true]);
    expect(statements.map((s) => s.name)).toEqual([undefined, 'insert_payment_with_events', 'insert_payment_with_events']);

    state.failShared = false;
    statements.length = 0;
    await Promise.all([store.insertPayment(payment('pay_3')), store.insertPayment(payment('pay_4', { from: ['created'], to: 'attempted' }))]);
    expect(statements.map((s) => s.name)).toEqual(['insert_payment_with_events', 'insert_payment_with_events']);
  });
});

describe('the payment store, leasing the deliveries to the caller', () => {
  const lease = new Date('2026-01-01T00:00:25Z');

  it("creates a lone payment's deliveries leased by the batch statement, and answers them with what sending needs", async () => {
    const { db, statements } = fakeDb([]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    const { inserted, deliveryIds, leased } = await store.insertPayment(payment('pay_1', ATTEMPT, lease));
    expect({ inserted, deliveryIds }).toEqual({ inserted: true, deliveryIds: ['whd_of_pay_1'] });
    expect(leased).toEqual([
      expect.objectContaining({
        id: 'whd_of_pay_1',
        event_id: 'evt_of_pay_1',
        locked_until: lease,
        webhook_url: 'https://merchant.test/hooks',
        webhook_enabled: true,
      }),
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.sql).toContain('JOIN merchants m');
    expect(statements[0]!.bindings.at(-1)).toBe(lease);
  });

  it('leases a batch until the earliest of its leases, and never shares a statement between leased and queued deliveries', async () => {
    const { db, statements } = fakeDb([]);
    const store = createPaymentStore({ db, metrics: createMetrics() });
    const later = new Date(lease.getTime() + 3);
    const both = await Promise.all([store.insertPayment(payment('pay_1', ATTEMPT, later)), store.insertPayment(payment('pay_2', ATTEMPT, lease))]);
    expect(both.map((b) => b.leased?.map((d) => d.id))).toEqual([['whd_of_pay_1'], ['whd_of_pay_2']]);
    expect(statements.map((s) => s.bindings.at(-1))).toEqual([lease]);

    statements.length = 0;
    // The first goes alone at once; the two that wait for it would share a statement, but may not.
    const mixed = await Promise.all(['pay_3', 'pay_4', 'pay_5'].map((id) => store.insertPayment(payment(id, ATTEMPT, id === 'pay_4' ? undefined : lease))));
    expect(mixed.map((m) => m.leased?.length)).toEqual([1, undefined, 1]);
    const paymentsOf = (s: Statement) => (s.name ? [String(s.bindings[0])] : (JSON.parse(String(s.bindings[0])) as PaymentRow[]).map((p) => p.id));
    expect(statements.map(paymentsOf).sort()).toEqual([['pay_3'], ['pay_4'], ['pay_5']]);
  });
});
