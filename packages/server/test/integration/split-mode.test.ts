import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@paygate/webhook-verify';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { SEED_HEADERS } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';
import { createTemporaryDatabase, redisTestUrl, serviceAvailable } from '../helpers/services.js';

const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));

// Production-style: one API process and two workers on PostgreSQL + Redis (the list queue), each a
// separate gateway with its own connections, as `pg-cli server` and `pg-cli worker` run them.
describe.skipIf(!ready)('split mode on PostgreSQL + Redis', () => {
  const redisUrl = redisTestUrl('splitMode'); // FLUSHDB here touches nothing else
  let temp: Awaited<ReturnType<typeof createTemporaryDatabase>>;
  let api: Gateway;
  let workers: Gateway[] = [];
  let redis: Redis;
  const config = (overrides = {}) =>
    loadConfig(
      {
        environment: 'development',
        testMode: true,
        testProcessingDelayMs: 1_500,
        databaseUrl: temp.url,
        redisUrl,
        logLevel: 'silent',
        relayIntervalMs: 200,
        relayStaleMs: 1_000,
        rateLimitPerMinute: 0,
        ...overrides,
      },
      {},
    );
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const res = await api.app!.inject({
      method,
      url,
      headers: { ...SEED_HEADERS, 'content-type': 'application/json' },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  beforeAll(async () => {
    temp = await createTemporaryDatabase();
    redis = new Redis(redisUrl);
    await redis.flushdb();
    api = await startGateway(config(), { role: 'api', logger: createLogger('silent'), listen: false });
    workers = [
      await startGateway(config(), { role: 'worker', logger: createLogger('silent') }),
      await startGateway(config(), { role: 'worker', logger: createLogger('silent') }),
    ];
  });
  afterAll(async () => {
    for (const g of [api, ...workers]) await g?.stop();
    await redis?.quit();
    await temp?.drop();
  });

  it('a worker sends the webhooks of the payments it settles itself: no delivery job goes through Redis', async () => {
    const receiver = await startReceiver();
    try {
      await call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success'] });
      type Queues = Record<'payments' | 'deliveries', { completed: number }>;
      const queues = async () => (await call('GET', '/api/v1/test/jobs/status')).body.queues as Queues;
      const payments: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const order = await call('POST', '/api/v1/orders', { amount: 500 + i, currency: 'INR' });
        payments.push((await call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' })).body.id);
      }
      await expect.poll(() => receiver.received.filter((r) => payments.includes(JSON.parse(r.body).data.payment.id)).length, { timeout: 30_000 }).toBe(5);
      // Workers flush their job counts once a second, payments and deliveries together. (This
      // runs first: Redis was emptied in beforeAll, so the counts are this test's alone.)
      await expect.poll(async () => (await queues()).payments.completed, { timeout: 10_000 }).toBe(5);
      expect((await queues()).deliveries.completed).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('settles payments and delivers verified webhooks across processes, and survives a Redis flush mid-run', async () => {
    const receiver = await startReceiver();
    try {
      await call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success', 'payment.failed'] });
      const payments: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        const order = await call('POST', '/api/v1/orders', { amount: 1000 + i, currency: 'INR' });
        const vpa = i % 5 === 0 ? 'failure@paygate' : 'success@paygate';
        const p = await call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa });
        expect(p.status).toBe(201);
        payments.push(p.body.id);
      }
      // The payment jobs wait in Redis as delayed jobs (1.5 s): wipe them all.
      expect(await redis.keys('paygate:q:payments:*')).not.toHaveLength(0);
      await redis.flushdb();

      // Every payment still ends in its decided state, and every merchant webhook arrives
      await expect.poll(async () => (await call('GET', '/api/v1/payments?limit=100&status=pending')).body.total, { timeout: 30_000, interval: 250 }).toBe(0);
      const byId = new Map((await call('GET', '/api/v1/payments?limit=100')).body.data.map((p: { id: string; status: string }) => [p.id, p.status]));
      payments.forEach((id, i) => expect(byId.get(id)).toBe(i % 5 === 0 ? 'failed' : 'success'));
      await expect.poll(() => new Set(receiver.received.map((r) => JSON.parse(r.body).data.payment.id)).size, { timeout: 30_000 }).toBe(40);

      // Duplicates are allowed, contradictions are not: one outcome per payment
      const outcomes = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const e = await verifyWebhook(r.body, r.headers as Record<string, string>, 'whsec_test_abc123');
        const id = (e.data as { payment: { id: string } }).payment.id;
        outcomes.set(id, (outcomes.get(id) ?? new Set()).add(e.event));
      }
      for (const set of outcomes.values()) expect(set.size).toBe(1);

      const status = await api.app!.inject({ method: 'GET', url: '/api/v1/test/jobs/status' });
      expect(JSON.parse(status.body)).toMatchObject({ worker_status: 'running', workers: 2 });
      const readyRes = await api.app!.inject({ method: 'GET', url: '/ready' });
      expect(JSON.parse(readyRes.body)).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    } finally {
      await receiver.close();
    }
  });
});
