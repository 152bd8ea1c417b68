import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { captureLogs, type LogLine } from '../helpers/log-capture.js';
import { startReceiver } from '../helpers/receiver.js';

/**
 * Every webhook attempt goes through one function, the dispatcher's `attemptDelivery`
 * (services/delivery/attempt-delivery.ts), which logs one `webhook attempt` line (debug) per
 * attempt. For each way a delivery comes about, this suite checks that its deliveries were
 * attempted there, and that the real receiver got exactly the logged requests: a second path that
 * sent without that function would show up as a request the log does not have.
 */
const engines = await testEngines();

type Attempt = { deliveryId: string; eventId: string; eventType: string; attempt: number; outcome: string; statusCode: number | null };
type Delivery = { id: string; event: string; event_id: string; status: string; attempts: number; attempt_log: unknown[] };

describe.each(engines)('one door for webhook attempts on %s', (engine) => {
  const logs = captureLogs('debug');
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  // Production schedule: a failed attempt is due again a minute later on the gateway clock, so
  // nothing is retried behind the test's back and the relay retry comes when the test says.
  beforeAll(async () => {
    gw = await startTestGateway(engine, { webhookRetryIntervalsTest: false, relayIntervalMs: 100 }, 'all', { logger: logs.logger });
  });
  afterAll(async () => gw?.close());
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await gw.call('POST', '/api/v1/test/reset', undefined, {});
    logs.lines.length = 0;
  });

  const useReceiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    receiver = await startReceiver(respond);
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url })).status).toBe(200);
    return receiver;
  };
  const pay = async () => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 50000, currency: 'INR', receipt: 'door' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    return payment.body as { id: string };
  };
  const deliveries = async () => (await gw.call('GET', '/api/v1/webhooks?limit=100')).body.data as Delivery[];
  /** Waits until these many deliveries exist and none is pending: every attempt is then logged. */
  const settled = async (count: number) => {
    await expect.poll(async () => (await deliveries()).map((d) => d.status).filter((s) => s !== 'pending').length, { timeout: 10_000 }).toBe(count);
    const all = await deliveries();
    expect(all).toHaveLength(count);
    return all;
  };
  const attempts = (): Attempt[] => logs.lines.filter((l: LogLine) => l.msg === 'webhook attempt') as unknown as Attempt[];
  const attemptsOf = (deliveryId: string) => attempts().filter((a) => a.deliveryId === deliveryId);

  /** The receiver got exactly the requests the door logged, no more and no fewer. */
  const expectEveryRequestLogged = () => {
    const logged = attempts()
      .map((a) => `${a.eventId} ${a.eventType}`)
      .sort();
    const received = receiver!.received.map((r) => `${r.id} ${r.event}`).sort();
    expect(received.length).toBeGreaterThan(0);
    expect(logged).toEqual(received);
  };

  it('a payment: payment.created, payment.pending and payment.success are each attempted through the door', async () => {
    await useReceiver();
    await pay();

    const all = await settled(3);
    expect(all.map((d) => d.event).sort()).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    for (const d of all) {
      expect(attemptsOf(d.id)).toEqual([
        expect.objectContaining({ eventId: d.event_id, eventType: d.event, attempt: 1, outcome: 'delivered', statusCode: 200 }),
      ]);
    }
    expectEveryRequestLogged();
  });

  it('a refund: refund.created and refund.processed are attempted through the door', async () => {
    await useReceiver();
    const payment = await pay();
    await settled(3);
    const refund = await gw.call('POST', `/api/v1/payments/${payment.id}/refunds`, { amount: 1000, reason: 'door' });
    expect(refund.status).toBe(201);

    const refunds = (await settled(5)).filter((d) => d.event.startsWith('refund.'));
    expect(refunds.map((d) => d.event).sort()).toEqual(['refund.created', 'refund.processed']);
    for (const d of refunds) {
      expect(attemptsOf(d.id)).toEqual([
        expect.objectContaining({ eventId: d.event_id, eventType: d.event, attempt: 1, outcome: 'delivered', statusCode: 200 }),
      ]);
    }
    expectEveryRequestLogged();
  });

  it('a manual retry: POST /webhooks/{id}/retry of a failed delivery is attempted through the door', async () => {
    // 410 Gone fails the delivery at once (and disables the endpoint until its URL is saved again).
    let gone = true;
    const r = await useReceiver(() => ({ status: gone ? 410 : 200 }));
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: r.url, events: ['payment.success'] });
    await pay();
    const [failed] = await settled(1);
    expect(failed).toMatchObject({ event: 'payment.success', status: 'failed' });
    expect(attemptsOf(failed!.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'failed', statusCode: 410 })]);

    gone = false;
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: r.url });
    expect((await gw.call('POST', `/api/v1/webhooks/${failed!.id}/retry`)).status).toBe(200);

    await expect.poll(async () => (await deliveries())[0]?.status).toBe('success');
    expect(attemptsOf(failed!.id)).toEqual([
      expect.objectContaining({ eventType: 'payment.success', attempt: 1, outcome: 'failed', statusCode: 410 }),
      expect.objectContaining({ eventType: 'payment.success', attempt: 1, outcome: 'delivered', statusCode: 200 }),
    ]);
    expect(r.received).toHaveLength(2);
    expectEveryRequestLogged();
  });

  it('a relay retry: a delivery that failed once is attempted through the door again when it comes due', async () => {
    const r = await useReceiver((n) => ({ status: n === 1 ? 500 : 200 }));
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: r.url, events: ['payment.success'] });
    await pay();
    await expect.poll(async () => (await deliveries())[0]?.attempt_log.length).toBe(1);
    const [waiting] = await deliveries();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });

    // Due a minute later on the production schedule: the relay picks it up when the clock gets there.
    await gw.call('POST', '/api/v1/test/clock/advance', { seconds: 60 }, {});
    const [delivered] = await settled(1);
    expect(delivered).toMatchObject({ id: waiting!.id, status: 'success', attempts: 2 });
    expect(attemptsOf(waiting!.id)).toEqual([
      expect.objectContaining({ eventType: 'payment.success', attempt: 1, outcome: 'retry', statusCode: 500 }),
      expect.objectContaining({ eventType: 'payment.success', attempt: 2, outcome: 'delivered', statusCode: 200 }),
    ]);
    expect(r.received).toHaveLength(2);
    expectEveryRequestLogged();
  });

  it('a test webhook: POST /webhooks/test is attempted through the door', async () => {
    await useReceiver();
    const sent = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(sent.status).toBe(202);

    const [d] = await settled(1);
    expect(d).toMatchObject({ id: sent.body.delivery_id, event: 'webhook.test', status: 'success' });
    expect(attemptsOf(sent.body.delivery_id)).toEqual([
      expect.objectContaining({ eventId: sent.body.event_id, eventType: 'webhook.test', attempt: 1, outcome: 'delivered', statusCode: 200 }),
    ]);
    expectEveryRequestLogged();
  });
});
