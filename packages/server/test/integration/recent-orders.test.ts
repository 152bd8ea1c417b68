// A payment for an order the same process created or read lately takes its amount and currency
// from memory instead of reading the order (see adapters/db/recent-orders.ts). What memory may not
// know is the order's status now: another API process may have paid it, a reset may have deleted
// it. These tests change the row behind the gateway's back, as another process would, and expect
// the answers a fresh read gives. (RecentOrders alone: adapters/db/payment-store.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

describe.each(await testEngines())('a payment for an order remembered by the process (%s)', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(engine, {}, 'api'); // no worker: payments stay pending
  });
  afterAll(async () => gw?.close());

  const newOrder = async (amount: number) => {
    const res = await gw.call('POST', '/api/v1/orders', { amount, currency: 'INR' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const pay = (orderId: string, headers?: Record<string, string>) =>
    gw.call('POST', '/api/v1/payments', { order_id: orderId, method: 'upi', vpa: 'success@paygate' }, headers);

  it("takes the order's amount and currency from memory, without reading the order", async () => {
    const orderId = await newOrder(4_321);
    // No API changes an order's amount; done here only to tell a read from memory: a read would see 1.
    await gw.deps.db('orders').where({ id: orderId }).update({ amount: 1 });
    const res = await pay(orderId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ order_id: orderId, amount: 4_321, currency: 'INR', status: 'pending' });
  });

  it('is refused as already paid when another process paid the order meanwhile', async () => {
    const orderId = await newOrder(5_000);
    await gw.deps.db('orders').where({ id: orderId }).update({ status: 'paid' });
    const res = await pay(orderId);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'order_id' });
    expect(res.body.error.description).toContain('already paid');
    const [counted] = await gw.deps.db('payments').where({ order_id: orderId }).count({ n: '*' });
    expect(Number(counted?.n)).toBe(0);
  });

  it('is a 404 when the order was deleted meanwhile (a test-mode reset)', async () => {
    const orderId = await newOrder(6_000);
    await gw.deps.db('orders').where({ id: orderId }).delete();
    const res = await pay(orderId);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND_ERROR', field: 'order_id' });
  });

  it("is a 404 for another merchant, whose memory holds nothing of this merchant's orders", async () => {
    const orderId = await newOrder(7_000);
    const b = (await gw.call('POST', '/api/v1/test/merchants', { name: 'B', email: `recent-b-${engine}@example.com` }, {})).body;
    const res = await pay(orderId, { 'x-api-key': b.api_key, 'x-api-secret': b.api_secret });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND_ERROR', field: 'order_id' });
  });
});
