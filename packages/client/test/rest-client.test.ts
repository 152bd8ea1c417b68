import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaygateRestClient, createPaygateClient, type Payment } from '@paygate/client';
import { startReceiver } from '../../server/test/helpers/receiver.js';
import { seedConnection, startListeningGateway } from './helpers/listening-gateway.js';

// Every route of DESIGN.md's API table through the client, against a real gateway over HTTP.
describe('PaygateRestClient against a real gateway', () => {
  let gateway: Awaited<ReturnType<typeof startListeningGateway>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let paygate: PaygateRestClient;

  beforeAll(async () => {
    gateway = await startListeningGateway({ webhookRetryIntervalsTest: true });
    receiver = await startReceiver();
    paygate = new PaygateRestClient(seedConnection(gateway.url));
  });
  afterAll(async () => {
    await gateway?.stop();
    await receiver?.close();
  });

  const settled = async (id: string): Promise<Payment> => {
    let payment = await paygate.payments.get(id);
    await expect.poll(async () => (payment = await paygate.payments.get(id)).status, { timeout: 10_000 }).not.toBe('pending');
    return payment;
  };

  it('creates, reads and lists orders, payments and refunds, with idempotency keys', async () => {
    // Given a webhook endpoint
    const config = await paygate.webhooks.config.update({ webhook_url: receiver.url });
    expect(config).toMatchObject({ webhook_url: receiver.url, enabled: true, events: null });
    expect(config.webhook_secret).toMatch(/^whsec_/);
    expect(await paygate.webhooks.config.get()).toEqual(config);

    // When an order is created twice with one key, the second is the first replayed
    const order = await paygate.orders.create({ amount: 50000, currency: 'INR', receipt: 'r-1' }, { idempotencyKey: 'order-r-1' });
    expect(order).toMatchObject({ entity: 'order', amount: 50000, currency: 'INR', receipt: 'r-1', status: 'created' });
    expect(await paygate.orders.create({ amount: 50000, currency: 'INR', receipt: 'r-1' }, { idempotencyKey: 'order-r-1' })).toEqual(order);
    expect((await paygate.orders.get(order.id)).id).toBe(order.id);
    expect((await paygate.orders.list({ limit: 5 })).data.map((o) => o.id)).toContain(order.id);

    // A card payment settles; capture and refunds follow
    const pending = await paygate.payments.create({
      order_id: order.id,
      method: 'card',
      card: { number: '4111 1111 1111 1111', expiry_month: 12, expiry_year: 2099, cvv: '123' },
    });
    expect(pending).toMatchObject({ entity: 'payment', status: 'pending', method: 'card', card_last4: '1111' });
    const paid = await settled(pending.id);
    expect(paid.status).toBe('success');
    expect((await paygate.payments.list({ order_id: order.id })).data.map((p) => p.id)).toEqual([paid.id]);
    expect((await paygate.payments.capture(paid.id)).captured).toBe(true);

    const refund = await paygate.refunds.create(paid.id, { amount: 10000, reason: 'damaged' }, { idempotencyKey: 'refund-1' });
    expect(refund).toMatchObject({ entity: 'refund', payment_id: paid.id, amount: 10000, reason: 'damaged' });
    expect((await paygate.refunds.get(refund.id)).id).toBe(refund.id);
    expect((await paygate.payments.refunds(paid.id)).data.map((r) => r.id)).toEqual([refund.id]);
    expect((await paygate.refunds.list()).data.map((r) => r.id)).toContain(refund.id);
    expect((await paygate.payments.get(paid.id)).refundable_amount).toBe(40000);
  });

  it('reads the webhook log with filters, retries, rotates the secret and sends a test event', async () => {
    await expect.poll(async () => (await paygate.webhooks.list({ event: 'payment.success' })).total, { timeout: 10_000 }).toBe(1);
    const successes = await paygate.webhooks.list({ event: 'payment.success', status: 'success', limit: 5 });
    expect(successes.data).toHaveLength(1);
    const [delivery] = successes.data;
    expect(delivery).toMatchObject({ entity: 'webhook_delivery', event: 'payment.success', status: 'success' });
    expect(await paygate.webhooks.get(delivery!.id)).toMatchObject({ id: delivery!.id, payload: { event: 'payment.success' } });
    expect(await paygate.webhooks.retry(delivery!.id)).toMatchObject({ id: delivery!.id, status: 'pending' });

    const before = await paygate.webhooks.config.get();
    const rotated = await paygate.webhooks.secret.regenerate();
    expect(rotated.webhook_secret).not.toBe(before.webhook_secret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();

    const sent = await paygate.webhooks.test();
    expect(sent).toMatchObject({ webhook_url: receiver.url });
    await expect.poll(() => receiver.received.some((r) => r.id === sent.event_id), { timeout: 10_000 }).toBe(true);
  });

  it('drives test mode: clock, jobs, merchants, reset; and health and readiness', async () => {
    expect(await paygate.health()).toEqual({ status: 'ok' });
    expect(await paygate.ready()).toMatchObject({ status: 'ready' });
    const jobs = await paygate.test.jobs.status();
    expect(jobs.worker_status).toBe('running');

    const clock = await paygate.test.clock.get();
    const moved = await paygate.test.clock.advance(3600);
    expect(moved.offset_seconds - clock.offset_seconds).toBe(3600);

    const tenant = await paygate.test.merchants.create({ name: 'Other shop', email: 'other@example.com' });
    expect(tenant.api_key).toMatch(/^key_/);
    const other = new PaygateRestClient({ apiUrl: gateway.url, apiKey: tenant.api_key, apiSecret: tenant.api_secret });
    expect((await other.orders.list()).total).toBe(0);

    expect(await paygate.test.reset()).toMatchObject({ reset: true });
    expect((await paygate.test.clock.get()).offset_seconds).toBe(0);
  });

  it('the typed tRPC client (moved from the server) calls the same gateway', async () => {
    const trpc = createPaygateClient({ baseUrl: gateway.url, apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789' });
    const order = await trpc.orders.create.mutate({ amount: 1234, currency: 'INR' }, { context: { idempotencyKey: 'trpc-1' } });
    expect((await trpc.orders.get.query({ id: order.id })).amount).toBe(1234);
    await expect(trpc.orders.get.query({ id: 'order_0000000000000000' })).rejects.toMatchObject({
      data: { paygate: { code: 'NOT_FOUND_ERROR' } },
    });
  });
});
