import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processPayments } from '../../src/services/payments.js';
import { deliverQueuedWebhooks, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import type { DeliveryDispatcher } from '../../src/services/delivery-dispatcher.js';
import { startReceiver } from '../helpers/receiver.js';

// One order, one successful payment: a shopper is never charged twice for an order, however
// payments on it race (double submit, two tabs, a retry while the first is pending).

const engines = await testEngines();
const RACERS = 20;

type Payment = { id: string; order_id: string; status: string; error_code: string | null; refundable_amount: number };
type Delivered = { id: string; event: string; sequence: number; data: { payment: Payment } };

describe.each(engines)('one successful payment per order on %s', (engine) => {
  // Role `api`: no worker settles anything behind the test's back; it settles by hand, racing.
  let gw: TestGateway;
  let webhooks: DeliveryDispatcher;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    gw = await startTestGateway(engine, {}, 'api');
    webhooks = deliverQueuedWebhooks(gw); // the webhooks the settlements queue still go out
    receiver = await startReceiver();
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url })).status).toBe(200);
  });
  afterAll(async () => {
    await webhooks?.close(5_000);
    await gw?.close();
    await receiver?.close();
  });

  async function newOrder(amount = 50_000): Promise<string> {
    const order = await gw.call('POST', '/api/v1/orders', { amount, currency: 'INR' });
    expect(order.status).toBe(201);
    return order.body.id as string;
  }

  async function pay(orderId: string, vpa = 'success@paygate'): Promise<string> {
    const created = await gw.call('POST', '/api/v1/payments', { order_id: orderId, method: 'upi', vpa });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending');
    return created.body.id as string;
  }

  async function paymentsOf(orderId: string): Promise<Payment[]> {
    const list = await gw.call('GET', `/api/v1/payments?order_id=${orderId}&limit=100`);
    return list.body.data as Payment[];
  }

  /** The outcome webhooks the receiver got for an order's payments. */
  function outcomesOf(orderId: string): Delivered[] {
    return receiver.received
      .map((r) => JSON.parse(r.body) as Delivered)
      .filter((e) => e.data.payment?.order_id === orderId && (e.event === 'payment.success' || e.event === 'payment.failed'));
  }

  async function expectPaidOnce(orderId: string, payments: number) {
    const all = await paymentsOf(orderId);
    expect(all).toHaveLength(payments);
    const winners = all.filter((p) => p.status === 'success');
    expect(winners, `order ${orderId}`).toHaveLength(1);
    const losers = all.filter((p) => p.status !== 'success');
    for (const p of losers) expect([p.status, p.error_code]).toEqual(['failed', 'ORDER_ALREADY_PAID']);
    expect((await gw.call('GET', `/api/v1/orders/${orderId}`)).body.status).toBe('paid');

    // Each payment's one outcome is sent once, and it is the one the API shows.
    await expect.poll(() => outcomesOf(orderId).length, { timeout: 15_000, interval: 50 }).toBe(payments);
    const sent = outcomesOf(orderId);
    expect(new Set(sent.map((e) => e.data.payment.id)).size).toBe(payments);
    expect(sent.filter((e) => e.event === 'payment.success').map((e) => e.data.payment.id)).toEqual([winners[0]!.id]);
    for (const e of sent.filter((x) => x.event === 'payment.failed')) {
      expect(e.data.payment).toMatchObject({ status: 'failed', error_code: 'ORDER_ALREADY_PAID' });
      expect(e.sequence).toBe(3);
    }
    // The failure's event is made in the statement from the would-be success's: its snapshot is
    // the payment as the API shows it, every field.
    for (const e of sent) expect(e.data.payment).toEqual(all.find((p) => p.id === e.data.payment.id));
  }

  /** The payment's events as the API lists them, oldest first. */
  async function eventsOf(paymentId: string): Promise<Delivered[]> {
    const list = await gw.call('GET', `/api/v1/events?payment_id=${paymentId}&limit=100`);
    expect(list.status).toBe(200);
    return (list.body.data as Delivered[]).map((e) => ({ id: e.id, event: e.event, sequence: e.sequence, data: e.data })).reverse();
  }

  it(`${RACERS} payments raced on one order, each settled by its own statement at once, repeated: exactly one succeeds`, async () => {
    for (let round = 0; round < 5; round += 1) {
      const orderId = await newOrder();
      const ids = await Promise.all(Array.from({ length: RACERS }, () => pay(orderId)));
      // Separate statements on separate connections, all at once: a real race on the order row.
      const settled = await Promise.all(ids.map((id) => processPayments(gw.deps, [id])));
      expect(settled.reduce((a, b) => a + b, 0)).toBe(RACERS);
      await expectPaidOnce(orderId, RACERS);
    }
  });

  it('payments of one order in one batch, with the same batch settled twice at once: one success, each payment settled once', async () => {
    const orderId = await newOrder();
    const ids = await Promise.all(Array.from({ length: RACERS }, () => pay(orderId)));
    const settled = await Promise.all([processPayments(gw.deps, ids), processPayments(gw.deps, [...ids].reverse())]);
    expect(settled[0] + settled[1]).toBe(RACERS);
    await expectPaidOnce(orderId, RACERS);
  });

  it('in one batch, the payment made first wins the order', async () => {
    const orderId = await newOrder();
    const first = await pay(orderId);
    expect((await gw.call('POST', '/api/v1/test/clock/advance', { seconds: 1 })).status).toBe(200);
    const second = await pay(orderId);
    expect(await processPayments(gw.deps, [second, first])).toBe(2);
    expect((await gw.call('GET', `/api/v1/payments/${first}`)).body.status).toBe('success');
    expect((await gw.call('GET', `/api/v1/payments/${second}`)).body).toMatchObject({ status: 'failed', error_code: 'ORDER_ALREADY_PAID' });
  });

  it('a second payment started while the first is pending fails once the first succeeds; a retry after a decline still pays', async () => {
    const orderId = await newOrder();
    const first = await pay(orderId);
    const second = await pay(orderId);
    expect(await processPayments(gw.deps, [first])).toBe(1);
    expect(await processPayments(gw.deps, [second])).toBe(1);
    await expectPaidOnce(orderId, 2);
    expect((await gw.call('GET', `/api/v1/payments/${first}`)).body.status).toBe('success');
    // The order is paid: a third payment is refused at once.
    const third = await gw.call('POST', '/api/v1/payments', { order_id: orderId, method: 'upi', vpa: 'success@paygate' });
    expect([third.status, third.body.error.field]).toEqual([400, 'order_id']);

    // A declined payment does not pay the order, so the shopper can try again and succeed.
    const retried = await newOrder();
    const declined = await pay(retried, 'failure@paygate');
    expect(await processPayments(gw.deps, [declined])).toBe(1);
    const again = await pay(retried);
    expect(await processPayments(gw.deps, [again])).toBe(1);
    expect((await gw.call('GET', `/api/v1/payments/${declined}`)).body).toMatchObject({ status: 'failed', error_code: 'UPI_DECLINED' });
    expect((await gw.call('GET', `/api/v1/payments/${again}`)).body.status).toBe('success');
    expect((await gw.call('GET', `/api/v1/orders/${retried}`)).body.status).toBe('paid');
  });

  it('a worker that sends the webhooks it creates itself sends the lost payment its failure, as recorded and as the API shows it', async () => {
    // As a worker does: its dispatcher takes the settlement's deliveries leased, and sends each
    // from the event it made, not from the database.
    const leased = { ...gw.deps, deliveries: webhooks };
    const orderId = await newOrder();
    const [first, second] = [await pay(orderId), await pay(orderId)];
    expect(await processPayments(leased, [first])).toBe(1);
    expect(await processPayments(leased, [second])).toBe(1);
    await expectPaidOnce(orderId, 2);
    const [sent] = outcomesOf(orderId).filter((e) => e.data.payment.id === second);
    const recorded = (await eventsOf(second)).at(-1)!;
    expect(recorded.event).toBe('payment.failed');
    expect({ id: sent!.id, event: sent!.event, sequence: sent!.sequence, data: sent!.data }).toEqual(recorded);
    expect(recorded.data.payment).toMatchObject({ status: 'failed', error_code: 'ORDER_ALREADY_PAID', refundable_amount: 0 });
  });

  it('the database itself refuses a second successful payment of an order', async () => {
    const orderId = await newOrder();
    const [a, b] = await Promise.all([pay(orderId), pay(orderId)]);
    await gw.deps.db('payments').where({ id: a }).update({ status: 'success' });
    await expect(gw.deps.db('payments').where({ id: b }).update({ status: 'success' })).rejects.toMatchObject({ code: '23505' });
  });
});
