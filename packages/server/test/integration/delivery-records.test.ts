import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryDispatcher } from '../../src/services/delivery-dispatcher.js';
import type { HttpSender } from '../../src/ports/http-sender.js';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startRawBodyReceiver, startReceiver } from '../helpers/receiver.js';

const engines = await testEngines();

/** A receiver that holds every request until the test answers it with `release(status)`. */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => held.push(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    held,
    release(status: number) {
      for (const res of held.splice(0)) res.writeHead(status).end(status < 300 ? 'OK' : 'gone');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(engines)('webhook attempts are recorded, on %s', (engine) => {
  let gw: TestGateway;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    // A short stale window: a delivery left unrecorded would be sent again within the test.
    gw = await startTestGateway(engine, { relayIntervalMs: 100, relayStaleMs: 1_000, webhookRetryIntervalsTest: true });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await gw.call('POST', '/api/v1/test/reset', undefined, {});
  });
  afterAll(async () => gw?.close());

  const deliveries = async (headers?: Record<string, string>) =>
    (await gw.call('GET', '/api/v1/webhooks?limit=100', undefined, headers)).body.data as Array<{
      id: string;
      event_id: string;
      status: string;
      attempts: number;
      attempt_log: Array<{ attempt: number; status_code: number | null; response_body: string | null; succeeded: boolean }>;
    }>;

  it('stores a response body with NUL bytes and invalid UTF-8 safely, and records the other merchants in the same batch', async () => {
    // Given merchant N, whose endpoint answers 200 with NUL bytes, invalid UTF-8 and a 4-byte
    // character across the 1 KiB cut, and the seed merchant with a normal endpoint
    const bytes = Buffer.concat([
      Buffer.from('ok'),
      Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('x'.repeat(1016)), // 1023 characters so far: the emoji (2 UTF-16 units) crosses 1024
      Buffer.from('😀'),
      Buffer.from([0x00]),
    ]);
    const bad = await startRawBodyReceiver(bytes);
    const good = await startReceiver();
    closers.push(bad.close, good.close);
    const n = (await gw.call('POST', '/api/v1/test/merchants', { name: 'N', email: `n-${engine}@example.com` }, {})).body;
    const nHeaders = { 'x-api-key': n.api_key, 'x-api-secret': n.api_secret };
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: bad.url }, nHeaders);
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: good.url });

    // When both take payments at once (their deliveries share batches)
    const pay = async (headers?: Record<string, string>) => {
      const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' }, headers);
      return gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' }, headers);
    };
    await Promise.all([0, 1, 2, 3].flatMap(() => [pay(nHeaders), pay()]));

    // Then every delivery of both is recorded as delivered on its first attempt...
    for (const headers of [nHeaders, undefined]) {
      await expect
        .poll(async () => (await deliveries(headers)).map((d) => `${d.status}/${d.attempt_log.length}`), { timeout: 15_000, interval: 100 })
        .toEqual(Array(12).fill('success/1'));
    }
    // ...and sent once each, not again and again because its attempt could not be written
    expect(bad.received).toHaveLength(12);
    expect(good.received).toHaveLength(12);
    // The body is kept: NUL and the invalid bytes as U+FFFD, cut on a character boundary
    const [first] = await deliveries(nHeaders);
    const body = first!.attempt_log[0]!.response_body!;
    expect(body.startsWith('ok\uFFFD')).toBe(true);
    expect(body).not.toContain('\u0000');
    expect(body.length).toBeLessThanOrEqual(1024);
    expect(body.endsWith('x')).toBe(true); // the emoji did not fit whole, so none of it is kept
  });

  it("refunds' webhooks go out and are logged through the same door as payments'", async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success', 'refund.created', 'refund.processed'] });
    const order = await gw.call('POST', '/api/v1/orders', { amount: 5000, currency: 'INR' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
    await expect.poll(() => receiver.received.map((r) => r.event)).toEqual(['payment.success']);
    expect((await gw.call('POST', `/api/v1/payments/${payment.body.id}/refunds`, { amount: 2000 })).status).toBe(201);
    await expect.poll(() => receiver.received.map((r) => r.event).sort()).toEqual(['payment.success', 'refund.created', 'refund.processed']);
    await expect
      .poll(async () => (await deliveries()).map((d) => `${d.status}/${d.attempt_log.map((a) => a.attempt).join(',')}`))
      .toEqual(['success/1', 'success/1', 'success/1']);
  });

  it('logs a duplicate send, with its own attempt number, when a lease was lost meanwhile', async () => {
    // Given an attempt in flight to an endpoint that is slow to answer
    const slow = await startHoldingReceiver();
    closers.push(slow.close);
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: slow.url });
    const test = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(test.status).toBe(202);
    await expect.poll(() => slow.held.length).toBe(1);

    // When its lease runs out (a stalled worker, say) and the relay hands it out again
    await gw.deps
      .db('webhook_logs')
      .where({ id: test.body.delivery_id })
      .update({ locked_until: new Date(Date.now() - 1_000), enqueued_at: null });
    await expect.poll(() => slow.held.length, { timeout: 5_000 }).toBe(2);
    slow.release(200);

    // Then both sends are in the log, numbered 1 and 2, and the delivery is delivered once
    await expect
      .poll(async () => (await gw.call('GET', `/api/v1/webhooks/${test.body.delivery_id}`)).body.attempt_log?.map((a: { attempt: number }) => a.attempt), {
        timeout: 5_000,
      })
      .toEqual([1, 2]);
    const delivery = (await gw.call('GET', `/api/v1/webhooks/${test.body.delivery_id}`)).body;
    expect(delivery).toMatchObject({ status: 'success', attempts: 1 });

    // And the database itself refuses a second attempt with the same number
    const [row] = await gw.deps.db('webhook_attempts').where({ webhook_log_id: test.body.delivery_id, attempt_number: 1 });
    const { id: _id, ...copy } = row as Record<string, unknown>;
    await expect(gw.deps.db('webhook_attempts').insert(copy)).rejects.toThrow(/unique|duplicate/i);
  });

  it('a 410 disables the endpoint only if its URL is still the one that answered', async () => {
    // Given an attempt in flight to the old URL
    const old = await startHoldingReceiver();
    const fresh = await startReceiver();
    closers.push(old.close, fresh.close);
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: old.url });
    const test = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    await expect.poll(() => old.held.length).toBe(1);

    // When the merchant saves a new URL, and then the old one answers 410 Gone
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: fresh.url });
    old.release(410);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/webhooks/${test.body.delivery_id}`)).body.attempt_log?.length).toBe(1);

    // Then the new endpoint stays enabled, and gets the next test webhook
    const config = (await gw.call('GET', '/api/v1/webhooks/config')).body;
    expect(config).toMatchObject({ webhook_url: fresh.url, enabled: true });
    expect((await gw.call('POST', '/api/v1/webhooks/test', undefined)).status).toBe(202);
    await expect.poll(() => fresh.received.length).toBe(1);

    // But a 410 from the URL still configured disables it
    const gone = await startReceiver(() => ({ status: 410 }));
    closers.push(gone.close);
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: gone.url });
    await gw.call('POST', '/api/v1/webhooks/test', undefined);
    await expect.poll(async () => (await gw.call('GET', '/api/v1/webhooks/config')).body.enabled).toBe(false);
  });

  it('POST /webhooks/test says why it sends nothing instead of naming a delivery that does not exist', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);

    // No URL
    const none = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'webhook_url' });

    // Filtered to other events
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success'] });
    const filtered = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(filtered.status).toBe(409);
    expect(filtered.body.error).toMatchObject({ code: 'INVALID_STATE_ERROR', field: 'events' });
    expect(filtered.body.error.description).toMatch(/webhook\.test/);

    // Disabled
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: null, enabled: false });
    const disabled = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(disabled.status).toBe(409);
    expect(disabled.body.error).toMatchObject({ code: 'INVALID_STATE_ERROR', field: 'enabled' });
    expect(disabled.body.error.description).toMatch(/disabled/);
    expect(await deliveries()).toEqual([]);

    // Enabled, all events: the delivery it names exists, and arrives
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: null, enabled: true });
    const sent = await gw.call('POST', '/api/v1/webhooks/test', undefined);
    expect(sent.status).toBe(202);
    expect((await gw.call('GET', `/api/v1/webhooks/${sent.body.delivery_id}`)).status).toBe(200);
    await expect.poll(() => receiver.received.map((r) => r.event)).toEqual(['webhook.test']);
  });
});

describe.each(engines)('one attempt that cannot be logged, on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // API only: no worker of its own, so the deliveries wait for the dispatcher the test makes.
    gw = await startTestGateway(engine, {}, 'api');
  });
  afterAll(async () => gw?.close());

  it('never keeps the others of its batch from being logged', async () => {
    // Given three pending deliveries, one of whose attempts makes a row the database refuses
    const receiver = await startReceiver();
    await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await gw.call('POST', '/api/v1/webhooks/test', undefined)).body.delivery_id);
    const poisoned = ids[1]!;
    const sender: HttpSender = {
      async send({ body }) {
        // latency_ms is an integer column: 2^31 ms does not fit
        const latencyMs = JSON.parse(body).id === `evt_${poisoned.slice(4)}` ? 2 ** 31 : 3;
        return { statusCode: 200, latencyMs, responseBody: 'OK' };
      },
      close: async () => undefined,
    };
    const dispatcher = createDeliveryDispatcher({ ...gw.deps, httpSender: sender });

    // When they are attempted together, so their attempts are logged by one statement
    await dispatcher.dispatch(ids);
    await dispatcher.idle();

    // Then the two others are logged and delivered; the poisoned one alone stays pending
    const state = async (id: string) => {
      const d = (await gw.call('GET', `/api/v1/webhooks/${id}`)).body;
      return `${d.status}/${d.attempt_log.length}`;
    };
    expect(await Promise.all(ids.map(state))).toEqual(['success/1', 'pending/0', 'success/1']);
    await dispatcher.close(1_000);
    await receiver.close();
  });
});
