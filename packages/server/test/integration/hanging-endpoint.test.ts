import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { SEED_HEADERS, startTestGateway, testEngines } from '../helpers/gateway.js';
import { startHangingReceiver, startReceiver } from '../helpers/receiver.js';
import { createTemporaryDatabase, redisTestUrl, serviceAvailable } from '../helpers/services.js';

type Call = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;
type Harness = { call: Call; close: () => Promise<void> };

// A short timeout, so a test that waits for it stays short; the assertions never depend on it.
const TIMEOUT_MS = 4_000;
const SETTINGS: ConfigOverrides = { webhookTimeoutMs: TIMEOUT_MS, webhookEndpointConcurrency: 2, relayIntervalMs: 100 };

async function inProcess(engine: 'pglite' | 'postgres'): Promise<Harness> {
  const gw = await startTestGateway(engine, SETTINGS);
  return { call: gw.call, close: gw.close };
}

/** One API and one worker gateway on PostgreSQL and Redis (a database of its own: FLUSHDB touches nothing else). */
async function splitMode(): Promise<Harness> {
  const temp = await createTemporaryDatabase();
  const redisUrl = redisTestUrl('hangingEndpoint');
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const config = loadConfig(
    {
      environment: 'development',
      testMode: true,
      testProcessingDelayMs: 0,
      databaseUrl: temp.url,
      redisUrl,
      logLevel: 'silent',
      rateLimitPerMinute: 0,
      ...SETTINGS,
    },
    {},
  );
  const api = await startGateway(config, { role: 'api', logger: createLogger('silent'), listen: false });
  const worker: Gateway = await startGateway(config, { role: 'worker', logger: createLogger('silent') });
  const call: Call = async (method, url, body, headers = SEED_HEADERS) => {
    const res = await api.app!.inject({
      method: method as 'GET',
      url,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  return {
    call,
    async close() {
      await api.stop();
      await worker.stop();
      await redis.flushdb();
      await redis.quit();
      await temp.drop();
    },
  };
}

const postgres = await serviceAvailable('postgres');
const redis = postgres && (await serviceAvailable('redis'));
const modes: Array<[string, () => Promise<Harness>]> = [
  ...(await testEngines()).map((engine): [string, () => Promise<Harness>] => [`the in-process queue on ${engine}`, () => inProcess(engine)]),
  ...(redis ? [['split mode on PostgreSQL + Redis', splitMode] as [string, () => Promise<Harness>]] : []),
];

describe.each(modes)('a hanging merchant endpoint, on %s', (_name, start) => {
  let h: Harness;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    h = await start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => h?.close());

  it("never delays another merchant's settlements or webhooks", async () => {
    // Given merchant A, whose endpoint never answers, and merchant B (the seed), whose endpoint is fine
    const hanging = await startHangingReceiver();
    const healthy = await startReceiver();
    closers.push(hanging.close, healthy.close);
    const a = (await h.call('POST', '/api/v1/test/merchants', { name: 'A', email: 'a@example.com' }, {})).body;
    const aHeaders = { 'x-api-key': a.api_key, 'x-api-secret': a.api_secret };
    expect((await h.call('PUT', '/api/v1/webhooks/config', { webhook_url: hanging.url, events: ['payment.success'] }, aHeaders)).status).toBe(200);
    expect((await h.call('PUT', '/api/v1/webhooks/config', { webhook_url: healthy.url, events: ['payment.success'] })).status).toBe(200);

    const pay = async (headers: Record<string, string> = SEED_HEADERS) => {
      const order = await h.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' }, headers);
      const sentAt = Date.now();
      const payment = await h.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' }, headers);
      expect(payment.status).toBe(201);
      return { id: payment.body.id as string, sentAt };
    };
    const arrivedAt = (paymentId: string) => healthy.received.find((r) => JSON.parse(r.body).data.payment.id === paymentId)?.at;
    const latencies = async (payments: Array<{ id: string; sentAt: number }>) => {
      await expect.poll(() => payments.every((p) => arrivedAt(p.id) !== undefined), { timeout: 30_000, interval: 20 }).toBe(true);
      return payments.map((p) => arrivedAt(p.id)! - p.sentAt);
    };

    // Baseline: B alone
    const baseline = await latencies([await pay(), await pay(), await pay()]);

    // When A's endpoint hangs with webhooks for several settled payments...
    for (let i = 0; i < 8; i += 1) await pay(aHeaders);
    await expect.poll(() => hanging.received.length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(2);
    expect(hanging.state.aborted).toBe(0);

    // ...B's payments still settle and their webhooks arrive as before: all of them before the
    // first of A's attempts times out (what B would wait for if it queued behind A)
    const during = await latencies(await Promise.all([pay(), pay(), pay(), pay(), pay()]));
    const lastArrival = Math.max(...healthy.received.map((r) => r.at));
    expect(hanging.state.firstAbortAt ?? Infinity, `baseline ${baseline.join(', ')} ms; with A hanging ${during.join(', ')} ms`).toBeGreaterThan(lastArrival);
    const bPayments = (await h.call('GET', '/api/v1/payments?limit=100')).body.data as Array<{ status: string }>;
    expect(bPayments.map((p) => p.status)).toEqual(Array(8).fill('success'));

    // And A's webhooks are not lost: they time out, are logged as failed attempts, and retried
    await expect
      .poll(
        async () =>
          ((await h.call('GET', '/api/v1/webhooks?limit=100', undefined, aHeaders)).body.data as Array<{ attempt_log: unknown[] }>).filter(
            (d) => d.attempt_log.length > 0,
          ).length,
        {
          timeout: 30_000,
          interval: 200,
        },
      )
      .toBeGreaterThanOrEqual(2);
    // Per-endpoint concurrency: A had 8 webhooks due at once, but only 2 attempts went out until
    // a slot freed, which takes a timeout (a third request can only start once the first attempt,
    // begun before the first arrival, has timed out)
    const firstArrival = hanging.received[0]!.at;
    expect(hanging.received.filter((r) => r.at < firstArrival + TIMEOUT_MS - 1_000)).toHaveLength(2);
  });
});
