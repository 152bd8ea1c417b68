import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startHangingReceiver } from '../helpers/receiver.js';

/**
 * Where one process runs the API and the workers (`pg-cli dev`, role `all`), a new payment writes
 * its `payment.created` and `payment.pending` deliveries leased to that process's dispatcher,
 * which sends them as soon as the insert commits: no delivery job, no claim statement. The lease
 * keeps the relay away while the attempt is out, as for a settlement's deliveries.
 */
const engines = await testEngines();
const STALE_MS = 300;

describe.each(engines)('a new payment in a process that runs the workers leases its deliveries, on %s', (engine) => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startHangingReceiver>>;
  const statements: string[] = [];
  beforeAll(async () => {
    receiver = await startHangingReceiver();
    // The relay runs only when the test says (sweep below); the attempts hang for a long timeout.
    gw = await startTestGateway(engine, { relayIntervalMs: 600_000, relayStaleMs: STALE_MS, webhookTimeoutMs: 20_000 });
    const events = ['payment.created', 'payment.pending'];
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events })).status).toBe(200);
    gw.deps.db.on('query', (q: { sql: string }) => statements.push(q.sql));
  });
  afterAll(async () => {
    await receiver?.close();
    await gw?.close();
  });

  it('sends both with no claim statement, and the relay leaves them alone past the stale window', async () => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 1200, currency: 'INR' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: (order.body as { id: string }).id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    await expect.poll(() => receiver.received.map((r) => r.event).sort(), { timeout: 10_000 }).toEqual(['payment.created', 'payment.pending']);
    const sentAt = Date.now();
    expect(statements.filter((sql) => sql.includes('WITH claimed AS'))).toEqual([]);

    // Once their queued mark is older than the stale window, only their lease stops the relay.
    await expect.poll(() => Date.now() - sentAt > STALE_MS, { timeout: 5_000 }).toBe(true);
    expect(await gw.workers!.relay.sweep()).toBe(0);

    const deliveries = await gw.call('GET', `/api/v1/webhooks?payment_id=${(payment.body as { id: string }).id}`);
    const data = (deliveries.body as { data: Array<{ event: string; status: string; attempts: number }> }).data;
    expect(data.map((d) => [d.event, d.status, d.attempts]).sort()).toEqual([
      ['payment.created', 'pending', 0],
      ['payment.pending', 'pending', 0],
    ]);
    expect(receiver.received).toHaveLength(2);
  });
});
