import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startHangingReceiver } from '../helpers/receiver.js';

/**
 * A worker settles a payment and sends its webhook itself: the settlement writes the delivery
 * leased to that worker (no claim statement, no queue job). The lease is what keeps the relay
 * away while the attempt is out: the delivery is marked queued from the moment it is written, so
 * without the lease a receiver slower than the relay's stale window would get it a second time.
 */
const engines = await testEngines();
const STALE_MS = 300;

describe.each(engines)('a settlement leases the deliveries it creates, on %s', (engine) => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startHangingReceiver>>;
  beforeAll(async () => {
    receiver = await startHangingReceiver();
    // The relay runs only when the test says (sweep below); the attempt hangs for a long timeout.
    gw = await startTestGateway(engine, { relayIntervalMs: 600_000, relayStaleMs: STALE_MS, webhookTimeoutMs: 20_000 });
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success'] })).status).toBe(200);
  });
  afterAll(async () => {
    await receiver?.close();
    await gw?.close();
  });

  it('the relay leaves a settled payment’s delivery alone while its first attempt is out, past the stale window', async () => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 1200, currency: 'INR' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: (order.body as { id: string }).id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const sentAt = Date.now();

    // Once the delivery's queued mark is older than the stale window, only its lease stops the relay.
    await expect.poll(() => Date.now() - sentAt > STALE_MS, { timeout: 5_000 }).toBe(true);
    const requeued = await gw.workers!.relay.sweep();
    expect(requeued).toBe(0);

    const deliveries = await gw.call('GET', `/api/v1/webhooks?payment_id=${(payment.body as { id: string }).id}`);
    const [delivery] = (deliveries.body as { data: Array<{ status: string; attempts: number }> }).data;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
    expect(receiver.received).toHaveLength(1);
  });
});
