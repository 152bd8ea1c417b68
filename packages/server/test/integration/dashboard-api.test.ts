import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

// The reads the web dashboard needs beyond the seed's API: events (a payment's timeline, the
// latest), a payment's deliveries, payment filters, and the overview's figures.
describe.each(engines)('dashboard reads on %s', (engine) => {
  let gw: TestGateway;
  let other: Record<string, string>;
  let upiPaid: { id: string; order_id: string };
  let cardFailed: { id: string };
  const startedAt = new Date(Date.now() - 60_000);

  const pay = async (amount: number, method: Record<string, unknown>) => {
    const order = (await gw.call('POST', '/api/v1/orders', { amount, currency: 'INR', receipt: 'dash' })).body;
    const created = (await gw.call('POST', '/api/v1/payments', { order_id: order.id, ...method })).body;
    await vi.waitFor(
      async () => {
        const status = (await gw.call('GET', `/api/v1/payments/${created.id}`)).body.status;
        if (status === 'pending') throw new Error(`${created.id} still pending`);
      },
      { timeout: 15_000, interval: 50 },
    );
    return created as { id: string; order_id: string };
  };

  beforeAll(async () => {
    gw = await startTestGateway(engine);
    // A receiver is not needed: a URL makes deliveries exist (they fail to connect, which is fine here).
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: 'http://127.0.0.1:9/hook' })).status).toBe(200);
    upiPaid = await pay(50000, { method: 'upi', vpa: 'success@paygate' });
    cardFailed = await pay(12345, { method: 'card', card: { number: '4000000000000002', expiry_month: '12', expiry_year: '2035', cvv: '123', name: 'A' } });
    const refund = await gw.call('POST', `/api/v1/payments/${upiPaid.id}/refunds`, { amount: 10000 });
    expect(refund.status).toBe(201);
    await vi.waitFor(
      async () => {
        if ((await gw.call('GET', `/api/v1/refunds/${refund.body.id}`)).body.status !== 'processed') throw new Error('refund still pending');
      },
      { timeout: 15_000, interval: 50 },
    );
    const b = (await gw.call('POST', '/api/v1/test/merchants', { name: 'B', email: `dash-b-${engine}@example.com` }, {})).body;
    other = { 'x-api-key': b.api_key, 'x-api-secret': b.api_secret };
  });
  afterAll(async () => gw?.close());

  it("lists one payment's events in sequence, and nothing of it to another merchant", async () => {
    // When the timeline of the successful, partly refunded payment is read
    const res = await gw.call('GET', `/api/v1/events?payment_id=${upiPaid.id}&limit=100`);
    // Then every event of it is there, newest first by its sequence
    expect(res.status).toBe(200);
    const events = res.body.data as Array<{ event: string; sequence: number; id: string }>;
    expect(events.map((e) => e.event).reverse()).toEqual(['payment.created', 'payment.pending', 'payment.success', 'refund.created', 'refund.processed']);
    expect(events.map((e) => e.sequence)).toEqual([...events.keys()].map((i) => events.length - i));
    expect(res.body.total).toBe(events.length);
    // And another merchant sees an empty list for the same id
    const foreign = await gw.call('GET', `/api/v1/events?payment_id=${upiPaid.id}`, undefined, other);
    expect(foreign.body).toMatchObject({ data: [], total: 0 });
  });

  it('lists the latest events across payments, by type, and refuses an unknown type', async () => {
    const latest = await gw.call('GET', '/api/v1/events?limit=3');
    expect(latest.body.data).toHaveLength(3);
    const failed = await gw.call('GET', '/api/v1/events?type=payment.failed');
    expect(failed.body.data.map((e: { data: { payment: { id: string } } }) => e.data.payment.id)).toEqual([cardFailed.id]);
    const bad = await gw.call('GET', '/api/v1/events?type=payment.exploded');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'type' });
  });

  it("lists one payment's webhook deliveries", async () => {
    const res = await gw.call('GET', `/api/v1/webhooks?payment_id=${cardFailed.id}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { event: string }) => d.event).sort()).toEqual(['payment.created', 'payment.failed', 'payment.pending']);
    for (const d of res.body.data) expect(d.payload.data.payment.id).toBe(cardFailed.id);
    const foreign = await gw.call('GET', `/api/v1/webhooks?payment_id=${cardFailed.id}`, undefined, other);
    expect(foreign.body.total).toBe(0);
  });

  it('filters payments by method and creation time, and names the field of a bad filter', async () => {
    const cards = await gw.call('GET', '/api/v1/payments?method=card');
    expect(cards.body.data.map((p: { id: string }) => p.id)).toEqual([cardFailed.id]);
    const since = await gw.call('GET', `/api/v1/payments?created_from=${encodeURIComponent(startedAt.toISOString())}&status=success`);
    expect(since.body.data.map((p: { id: string }) => p.id)).toEqual([upiPaid.id]);
    const before = await gw.call('GET', `/api/v1/payments?created_to=${encodeURIComponent(startedAt.toISOString())}`);
    expect(before.body.total).toBe(0);
    const badMethod = await gw.call('GET', '/api/v1/payments?method=cash');
    expect(badMethod.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'method' });
    const badDate = await gw.call('GET', '/api/v1/payments?created_from=yesterday');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.field).toBe('created_from');
  });

  it("sums today's payments, success rate and money per currency", async () => {
    await expect
      .poll(async () => (await gw.call('GET', `/api/v1/stats?since=${encodeURIComponent(startedAt.toISOString())}`)).body, { timeout: 15_000 })
      .toEqual({
        since: startedAt.toISOString(),
        payments: { total: 2, success: 1, failed: 1, pending: 0 },
        success_rate: 0.5,
        by_currency: [{ currency: 'INR', collected: 50000, refunded: 10000 }],
      });
    const later = await gw.call('GET', `/api/v1/stats?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(later.body).toMatchObject({ payments: { total: 0 }, success_rate: null, by_currency: [] });
    const foreign = await gw.call('GET', `/api/v1/stats?since=${encodeURIComponent(startedAt.toISOString())}`, undefined, other);
    expect(foreign.body.payments.total).toBe(0);
    const bad = await gw.call('GET', '/api/v1/stats');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('since');
  });
});
