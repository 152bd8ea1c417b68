import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import { IN_FLIGHT_LEASE_MS, beginIdempotentRequest, releaseIdempotentRequest } from '../../src/services/idempotency.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { LEVEL, captureLogs, type LogLine } from '../helpers/log-capture.js';
import { POSTGRES_ADMIN_URL, serviceAvailable } from '../helpers/services.js';
import { startTcpProxy, throughProxy } from '../helpers/tcp-proxy.js';

// The database going away under a running API process: its connections cut, new ones refused,
// or accepted and never answered. The shared PostgreSQL is never touched: the gateway reaches it
// through a TCP proxy that the test cuts.

const postgres = await serviceAvailable('postgres');
const ACQUIRE_TIMEOUT_MS = 1_000;

type Reply = { status: number; body: any; headers: Record<string, unknown> };
const paygateError = (r: Reply) => (r.body.error?.data?.paygate ?? r.body.error) as { code: string };

describe.skipIf(!postgres)('database unavailable', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let gw: TestGateway;
  let lines: LogLine[];
  beforeAll(async () => {
    const target = new URL(POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const capture = captureLogs('info');
    lines = capture.lines;
    gw = await startTestGateway('postgres', { databaseAcquireTimeoutMs: ACQUIRE_TIMEOUT_MS }, 'api', {
      logger: capture.logger,
      databaseUrl: (url) => throughProxy(url, proxy.port),
    });
  });
  afterAll(async () => {
    proxy?.restore();
    await gw?.close();
    await proxy?.close();
  });

  /** Every way in that touches the database, on both transports. */
  const calls = (orderId: string): Array<[string, () => Promise<Reply>]> => [
    ['REST POST /orders', () => gw.call('POST', '/api/v1/orders', { amount: 100 })],
    ['REST GET /orders', () => gw.call('GET', '/api/v1/orders')],
    ['REST GET /orders/:id', () => gw.call('GET', `/api/v1/orders/${orderId}`)],
    ['REST POST /payments', () => gw.call('POST', '/api/v1/payments', { order_id: orderId, method: 'upi', vpa: 'success@paygate' })],
    ['tRPC orders.create', () => gw.call('POST', '/trpc/orders.create', { amount: 100 })],
    ['tRPC orders.list', () => gw.call('GET', `/trpc/orders.list?input=${encodeURIComponent('{}')}`)],
  ];

  const expectAllUnavailable = async (orderId: string) => {
    for (const [name, call] of calls(orderId)) {
      const res = await call();
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(paygateError(res).code, name).toBe('SERVICE_UNAVAILABLE_ERROR');
      expect(Number(res.headers['retry-after']), name).toBeGreaterThan(0);
    }
  };

  it('connections cut and new ones refused: 503 SERVICE_UNAVAILABLE_ERROR with Retry-After on REST and tRPC, /ready names the database; then it recovers', async () => {
    // Given a gateway with live connections to the database
    const order = await gw.call('POST', '/api/v1/orders', { amount: 100 });
    expect(order.status).toBe(201);
    expect(proxy.connections()).toBeGreaterThan(0);

    // When the database goes away (live connections reset, new ones refused)
    proxy.cut({ refuse: true });

    // Then every call answers 503 with Retry-After, never 500
    await expectAllUnavailable(order.body.id);
    const ready = await gw.call('GET', '/ready', undefined, {});
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', checks: { database: 'down', queue: 'ok' } });
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);

    // And when it is back, the same process serves again
    proxy.restore();
    await expect.poll(async () => (await gw.call('POST', '/api/v1/orders', { amount: 100 })).status, { timeout: 10_000, interval: 100 }).toBe(201);
    expect((await gw.call('GET', '/ready', undefined, {})).body.checks.database).toBe('ok');
  });

  it('a key whose request failed while the database was away is released once it is back, so the retry runs instead of getting 409 for the whole lease', async () => {
    // Given a request that claimed its key, then lost the database before it could release it
    const merchant = (await gw.deps.db('merchants').where({ api_key: SEED_MERCHANT.apiKey }).first())!;
    const scope = { merchantId: merchant.id, method: 'POST', path: '/api/v1/orders', key: `outage-${Date.now()}` };
    const body = { amount: 100 };
    const claim = await beginIdempotentRequest(gw.deps, scope, body);
    expect(claim.kind).toBe('claimed');
    proxy.cut({ refuse: true });
    await expect(releaseIdempotentRequest(gw.deps, claim as Extract<typeof claim, { kind: 'claimed' }>)).rejects.toBeDefined();

    // When the database comes back, the retry with the same key runs, long before the lease ends
    const tBack = Date.now();
    proxy.restore();
    await expect
      .poll(async () => (await beginIdempotentRequest(gw.deps, scope, body).catch((e: { code?: string }) => ({ kind: e.code }))).kind, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe('claimed');
    expect(Date.now() - tBack).toBeLessThan(IN_FLIGHT_LEASE_MS);
  });

  it('a database that accepts connections but never answers: 503 once the pool gives up waiting (acquire timeout), not a hang or a 500', async () => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 100 });
    expect(order.status).toBe(201);
    proxy.cut({ hold: true });
    await expectAllUnavailable(order.body.id);
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
    proxy.restore();
    await expect.poll(async () => (await gw.call('POST', '/api/v1/orders', { amount: 100 })).status, { timeout: 10_000, interval: 100 }).toBe(201);
  }, 60_000);
});
