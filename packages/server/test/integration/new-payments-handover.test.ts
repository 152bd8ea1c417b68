// Embedded (`pg-cli dev`), the process that inserts a payment also settles it, and settles it as
// it inserted it instead of reading it back (see adapters/db/new-payments.ts). These tests check
// that nothing a read would have given is lost: the outcome a webhook carries is the payment as
// the API then shows it, an early job still waits for the due time, and a second job for the
// same payment reads the database and does nothing. (NewPayments alone, and the store that keeps
// it only when asked: adapters/db/payment-store.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processPayments } from '../../src/services/payments.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** The statement that reads payments for a worker (adapters/db/operations/due.ts). */
const isDueRead = (sql: string) => sql.includes('FROM payments p WHERE p.id =');

describe('an embedded gateway settles the payments it inserted without reading them back', () => {
  let gw: TestGateway;
  const dueReads: string[] = [];
  beforeAll(async () => {
    gw = await startTestGateway('pglite', { testProcessingDelayMs: 300 });
    gw.deps.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (isDueRead(q.sql)) dueReads.push(JSON.stringify(q.bindings));
    });
  });
  afterAll(async () => gw?.close());

  async function newPayment(vpa = 'success@paygate'): Promise<string> {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 4_200, currency: 'INR' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa });
    expect(payment.status).toBe(201);
    return payment.body.id as string;
  }
  const paymentOf = async (id: string) => (await gw.call('GET', `/api/v1/payments/${id}`)).body;
  const outcomeEvents = (id: string) => gw.deps.db('events').where({ payment_id: id }).whereIn('type', ['payment.success', 'payment.failed']);
  const readsOf = (id: string) => dueReads.filter((bindings) => bindings.includes(id)).length;

  it('settles it without a read, and its outcome event carries the payment as the API shows it afterwards', async () => {
    for (const vpa of ['success@paygate', 'failure@paygate']) {
      const id = await newPayment(vpa);
      await expect.poll(async () => (await paymentOf(id)).status, { timeout: 10_000, interval: 50 }).not.toBe('pending');
      const shown = await paymentOf(id);
      const [event, ...more] = await outcomeEvents(id);
      expect(more).toEqual([]);
      expect(event.data.payment).toEqual(shown);
      expect(shown.status).toBe(vpa === 'success@paygate' ? 'success' : 'failed');
      expect(readsOf(id)).toBe(0);
    }
  });

  it('queues a job that came early again, from memory as from a read, and settles the payment when it is due', async () => {
    // Given a payment due in 300 ms, and a worker's job for it now (as a job that fires early)
    const id = await newPayment();
    // Then that job settles nothing and the payment stays pending…
    expect(await processPayments(gw.deps, [id])).toBe(0);
    expect((await paymentOf(id)).status).toBe('pending');
    // …until it is due, once
    await expect.poll(async () => (await paymentOf(id)).status, { timeout: 10_000, interval: 50 }).toBe('success');
    expect(await outcomeEvents(id)).toHaveLength(1);
  });

  it('reads the database for a second job of a settled payment, and settles nothing twice', async () => {
    const id = await newPayment();
    await expect.poll(async () => (await paymentOf(id)).status, { timeout: 10_000, interval: 50 }).toBe('success');
    const readsBefore = readsOf(id);
    expect(await processPayments(gw.deps, [id, id])).toBe(0);
    expect(readsOf(id)).toBe(readsBefore + 1);
    expect(await outcomeEvents(id)).toHaveLength(1);
  });
});
