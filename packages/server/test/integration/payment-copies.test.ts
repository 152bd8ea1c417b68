// A new payment's job carries a copy of its row as the API inserted it (model/payment-copy.ts),
// and the worker settles the payment from that copy instead of reading it back. The row stays
// the truth: the settlement statement checks the copy against it. These tests check that
// nothing a read would have given is lost, on both engines: the outcome a webhook carries is
// the payment as the API then shows it, an early job still waits for the due time by the
// database's clock, a second job with the same copy settles nothing twice, and a copy that says
// otherwise than the row (stale, or altered in the queue) settles by the row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentRow } from '../../src/model/rows.js';
import { processPayments } from '../../src/services/payments.js';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

/** The statement with which a worker reads payments its jobs did not carry (findPaymentsToSettle). */
const isWorkerRead = (sql: string) => sql.startsWith('SELECT * FROM payments WHERE id = ');

function recordWorkerReads(gw: TestGateway): string[] {
  const reads: string[] = [];
  gw.deps.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
    if (isWorkerRead(q.sql)) reads.push(JSON.stringify(q.bindings));
  });
  return reads;
}

async function newPayment(gw: TestGateway, vpa = 'success@paygate'): Promise<string> {
  const order = await gw.call('POST', '/api/v1/orders', { amount: 4_200, currency: 'INR' });
  const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa });
  expect(payment.status).toBe(201);
  return payment.body.id as string;
}
const paymentOf = async (gw: TestGateway, id: string) => (await gw.call('GET', `/api/v1/payments/${id}`)).body;
const outcomeEvents = (gw: TestGateway, id: string) => gw.deps.db('events').where({ payment_id: id }).whereIn('type', ['payment.success', 'payment.failed']);
const rowOf = async (gw: TestGateway, id: string): Promise<PaymentRow> => (await gw.deps.db<PaymentRow>('payments').where({ id }).first())!;

describe.each(engines)('a worker settles a new payment from the copy its job carried, on %s', (engine) => {
  let gw: TestGateway;
  let reads: string[];
  const readsOf = (id: string) => reads.filter((bindings) => bindings.includes(id)).length;
  beforeAll(async () => {
    gw = await startTestGateway(engine, { testProcessingDelayMs: 300 });
    reads = recordWorkerReads(gw);
  });
  afterAll(async () => gw?.close());

  it('settles it without a read, and its outcome event carries the payment as the API shows it afterwards', async () => {
    for (const vpa of ['success@paygate', 'failure@paygate']) {
      const id = await newPayment(gw, vpa);
      await expect.poll(async () => (await paymentOf(gw, id)).status, { timeout: 10_000, interval: 50 }).not.toBe('pending');
      const shown = await paymentOf(gw, id);
      const [event, ...more] = await outcomeEvents(gw, id);
      expect(more).toEqual([]);
      expect(event.data.payment).toEqual(shown);
      expect(shown.status).toBe(vpa === 'success@paygate' ? 'success' : 'failed');
      expect(readsOf(id)).toBe(0);
    }
  });

  it("queues a job that came early again, judged by the database's clock, and settles the payment when it is due", async () => {
    // Given a payment due in 300 ms, and a job for it now with a copy of its row (as a job that fires early)
    const id = await newPayment(gw);
    const copy = await rowOf(gw, id);
    // Then that job settles nothing and the payment stays pending…
    expect(await processPayments(gw.deps, [id], new Map([[id, copy]]))).toBe(0);
    expect((await paymentOf(gw, id)).status).toBe('pending');
    // …until it is due, once
    await expect.poll(async () => (await paymentOf(gw, id)).status, { timeout: 10_000, interval: 50 }).toBe('success');
    expect(await outcomeEvents(gw, id)).toHaveLength(1);
  });

  it('settles nothing twice: a second job with the same copy finds the row moved on, reads it, and does nothing', async () => {
    const id = await newPayment(gw);
    const copy = await rowOf(gw, id);
    await expect.poll(async () => (await paymentOf(gw, id)).status, { timeout: 10_000, interval: 50 }).toBe('success');
    const readsBefore = readsOf(id);
    expect(await processPayments(gw.deps, [id, id], new Map([[id, copy]]))).toBe(0);
    expect(readsOf(id)).toBe(readsBefore + 1);
    expect(await outcomeEvents(gw, id)).toHaveLength(1);
  });
});

describe.each(engines)('a copy that says otherwise than the row settles by the row, on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // No workers: the test settles by hand, so no job of the gateway's own gets there first.
    gw = await startTestGateway(engine, {}, 'api');
  });
  afterAll(async () => gw?.close());

  it.each([
    ['its outcome', { decided_status: 'success', decided_error_code: null, decided_error_description: null }],
    ['its amount', { amount: 1 }],
    ['its merchant', { merchant_id: 'mer_someone_else' }],
  ] as const)('a copy altered in %s: the payment settles as the database decided it, once', async (_what, altered) => {
    // Given a payment decided to fail, and a job whose copy of it says otherwise
    const id = await newPayment(gw, 'failure@paygate');
    const copy = { ...(await rowOf(gw, id)), ...altered } as PaymentRow;
    // When the worker settles it
    expect(await processPayments(gw.deps, [id], new Map([[id, copy]]))).toBe(1);
    // Then it failed, as decided, with one outcome event that shows the payment as stored
    const shown = await paymentOf(gw, id);
    expect(shown).toMatchObject({ status: 'failed', amount: 4_200 });
    const [event, ...more] = await outcomeEvents(gw, id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'payment.failed', merchant_id: (await rowOf(gw, id)).merchant_id });
    expect(event.data.payment).toEqual(shown);
  });
});
