import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@paygate/webhook-verify';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';

const engines = await testEngines();
const SEED_SECRET = 'whsec_test_abc123';

describe.each(engines)('webhook delivery on %s', (engine) => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  beforeAll(async () => {
    gw = await startTestGateway(engine, { webhookRetryIntervalsTest: true, relayIntervalMs: 100 });
  });
  afterAll(async () => gw?.close());
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await gw.call('POST', '/api/v1/test/reset', undefined, {});
  });

  const pay = async (vpa = 'success@paygate') => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 50000, currency: 'INR', receipt: 'test_123' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa });
    expect(payment.body.status).toBe('pending');
    return payment.body as { id: string };
  };
  const configure = (url: string, events?: string[]) => gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: url, ...(events ? { events } : {}) });
  const deliveries = async () => (await gw.call('GET', '/api/v1/webhooks?limit=100')).body.data as any[];

  it("runs the seed's test flow: payment.success reaches a real receiver, verified both ways", async () => {
    receiver = await startReceiver();
    await configure(receiver.url);
    const payment = await pay();

    await expect
      .poll(() => receiver!.received.map((r) => r.event).sort(), { timeout: 10_000 })
      .toEqual(['payment.created', 'payment.pending', 'payment.success']);
    const success = receiver.received.find((r) => r.event === 'payment.success')!;

    // The seed README's snippet: HMAC-SHA256 hex of JSON.stringify(req.body) with the secret
    const payload = JSON.stringify(JSON.parse(success.body));
    const expected = createHmac('sha256', SEED_SECRET).update(payload).digest('hex');
    expect(success.headers['x-webhook-signature']).toBe(expected);

    // Standard Webhooks, with the package merchants install
    const event = await verifyWebhook(success.body, success.headers as Record<string, string>, SEED_SECRET);
    expect(event).toMatchObject({ event: 'payment.success', data: { payment: { id: payment.id, status: 'success', amount: 50000 } } });
    expect(success.headers['webhook-id']).toBe(JSON.parse(success.body).id);

    // Per-payment sequence lets the receiver order them
    const sequences = Object.fromEntries(receiver.received.map((r) => [r.event, JSON.parse(r.body).sequence]));
    expect(sequences).toEqual({ 'payment.created': 1, 'payment.pending': 2, 'payment.success': 3 });
    // And the log shows each delivery with its attempt (written just after the receiver answered)
    await expect.poll(async () => (await deliveries()).map((d) => d.status)).toEqual(['success', 'success', 'success']);
    const log = await deliveries();
    expect(log).toHaveLength(3);
    for (const d of log)
      expect(d).toMatchObject({ status: 'success', attempts: 1, response_code: 200, attempt_log: [{ attempt: 1, status_code: 200, succeeded: true }] });
  });

  it('retries a 500 twice, then delivers: attempts about 0, 5 and 15 s apart on the test schedule (real time)', async () => {
    receiver = await startReceiver((n) => ({ status: n <= 2 ? 500 : 200 }));
    await configure(receiver.url, ['payment.success']);
    await pay();
    await expect.poll(() => receiver!.received.length, { timeout: 25_000, interval: 200 }).toBe(3);
    // Times are when the receiver saw each attempt; the schedule counts from when the gateway began
    // the previous one, so a loaded machine can shorten the gap seen here by a few hundred ms.
    const [a, b, c] = receiver.received.map((r) => r.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(4_500);
    expect(b - a).toBeLessThan(7_000);
    expect(c - a).toBeGreaterThanOrEqual(14_500);
    expect(c - a).toBeLessThan(18_000);
    // Same event id on every attempt, fresh timestamp each time
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await expect.poll(async () => (await deliveries())[0]?.status).toBe('success');
    const [d] = await deliveries();
    expect(d.attempt_log.map((x: { status_code: number }) => x.status_code)).toEqual([500, 500, 200]);
    expect(d.attempts).toBe(3);
  });

  it('walks the production schedule (0, 1 min, 6 min, 36 min, 2 h 36 min) with the clock, then fails; a manual retry delivers', async () => {
    await gw.close();
    gw = await startTestGateway(engine, { webhookRetryIntervalsTest: false, relayIntervalMs: 100 });
    let healthy = false;
    receiver = await startReceiver(() => ({ status: healthy ? 200 : 503 }));
    await configure(receiver.url, ['payment.success']);
    await pay();
    await expect.poll(() => receiver!.received.length).toBe(1);
    // The attempt is logged shortly after the receiver answers (attempts share their log statements).
    await expect.poll(async () => (await deliveries())[0].attempt_log.length).toBe(1);
    const start = new Date((await deliveries())[0].attempt_log[0].attempted_at).getTime();

    for (const [gapSeconds, attempts] of [
      [60, 2],
      [300, 3],
      [1800, 4],
      [7200, 5],
    ] as const) {
      // Just before it is due, nothing happens...
      await gw.call('POST', '/api/v1/test/clock/advance', { seconds: gapSeconds - 2 }, {});
      expect(receiver.received.length).toBe(attempts - 1);
      // ...and when the clock reaches it, the attempt fires at once
      await gw.call('POST', '/api/v1/test/clock/advance', { seconds: 2 }, {});
      await expect.poll(() => receiver!.received.length, { timeout: 5_000 }).toBe(attempts);
    }
    await expect.poll(async () => (await deliveries())[0].status).toBe('failed');
    const [failed] = await deliveries();
    const offsets = failed.attempt_log.map((x: { attempted_at: string }) => Math.round((new Date(x.attempted_at).getTime() - start) / 1000));
    const expected = [0, 60, 360, 2160, 9360];
    offsets.forEach((o: number, i: number) => expect(Math.abs(o - expected[i]!)).toBeLessThanOrEqual(2));
    expect(failed.attempts).toBe(5);
    expect(failed.next_attempt_at).toBeNull();

    // A manual retry of the failed delivery, now that the endpoint is healthy
    healthy = true;
    const retry = await gw.call('POST', `/api/v1/webhooks/${failed.id}/retry`, undefined);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: failed.id, status: 'pending' });
    await expect.poll(async () => (await deliveries())[0].status).toBe('success');
    expect(receiver.received).toHaveLength(6);
    // Retrying a delivery that is already scheduled is refused
    const again = await gw.call('POST', `/api/v1/webhooks/${failed.id}/retry`, undefined);
    expect(again.status).toBe(200); // success → replay is allowed
  });

  it('stops sending to an endpoint that answers 410 Gone', async () => {
    receiver = await startReceiver(() => ({ status: 410 }));
    await configure(receiver.url, ['payment.success']);
    await pay();
    await expect.poll(async () => (await deliveries())[0]?.status).toBe('failed');
    const config = await gw.call('GET', '/api/v1/webhooks/config');
    expect(config.body.enabled).toBe(false);
    expect(receiver.received).toHaveLength(1);
  });

  it('signs with both secrets during a rotation', async () => {
    receiver = await startReceiver();
    await configure(receiver.url, ['payment.success']);
    const rotated = await gw.call('POST', '/api/v1/webhooks/secret/regenerate', undefined);
    expect(rotated.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.body.previous_secret_expires_at).not.toBeNull();
    await pay();
    await expect.poll(() => receiver!.received.length).toBe(1);
    const [r] = receiver.received;
    expect(String(r!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    await expect(verifyWebhook(r!.body, r!.headers as Record<string, string>, rotated.body.webhook_secret)).resolves.toMatchObject({
      event: 'payment.success',
    });
    await expect(verifyWebhook(r!.body, r!.headers as Record<string, string>, SEED_SECRET)).resolves.toMatchObject({ event: 'payment.success' });
  });
});
