import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { SEED_HEADERS, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { LEVEL, captureLogs } from '../helpers/log-capture.js';
import { ProcessGroup, freePort, hasBinary, startRedisServer } from '../helpers/processes.js';
import { serviceAvailable } from '../helpers/services.js';

// Rate limits count per authenticated merchant, on every transport, after authentication; a
// request that is not (yet) authenticated counts against its address. A limiter whose store is
// down lets traffic through and says so once.

const LIMIT = 3;
const VICTIM_IP = '10.0.0.1';
const ATTACKER_IP = '10.6.6.6';

type Reply = { status: number; body: any; headers: Record<string, unknown> };

async function inject(
  gw: TestGateway,
  options: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; ip?: string; body?: unknown },
): Promise<Reply> {
  const res = await gw.app.inject({
    method: options.method ?? 'GET',
    url: options.url,
    headers: { ...(options.headers ?? SEED_HEADERS), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    remoteAddress: options.ip ?? VICTIM_IP,
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

describe('rate limits per merchant, after authentication', () => {
  let gw: TestGateway;
  afterEach(async () => gw?.close());

  it("a wrong secret sent with a victim's key does not consume the victim's quota", async () => {
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT });
    // Given an attacker who knows the victim's public key but not the secret
    const forged = { 'x-api-key': SEED_HEADERS['x-api-key'], 'x-api-secret': 'secret_wrong' };
    const attack = [];
    for (let i = 0; i < LIMIT * 3; i += 1) attack.push((await inject(gw, { url: '/api/v1/orders', headers: forged, ip: ATTACKER_IP })).status);
    // Then the attacker is refused (401, then 429 for its address)…
    expect(attack.every((s) => s === 401 || s === 429)).toBe(true);
    expect(attack).toContain(429);
    // …and the victim still has its whole quota
    const victim = [];
    for (let i = 0; i < LIMIT + 1; i += 1) victim.push((await inject(gw, { url: '/api/v1/orders' })).status);
    expect(victim).toEqual([200, 200, 200, 429]);
  });

  it('behind the proxies PAYGATE_TRUST_PROXY names, unauthenticated requests count per forwarded client; X-Forwarded-For from anyone else is ignored', async () => {
    const PROXY_IP = '10.9.9.9';
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT, trustProxy: ['10.9.9.0/24'] });
    const via = (client: string) => ({ 'x-forwarded-for': client });
    const throughProxy = [];
    for (let i = 0; i < LIMIT + 1; i += 1) throughProxy.push((await inject(gw, { url: '/api/v1/orders', headers: via(ATTACKER_IP), ip: PROXY_IP })).status);
    expect(throughProxy).toEqual([401, 401, 401, 429]);
    // Another client through the same proxy has its own budget.
    expect((await inject(gw, { url: '/api/v1/orders', headers: via(VICTIM_IP), ip: PROXY_IP })).status).toBe(401);
    // A client reaching the server directly cannot pick its address: each new X-Forwarded-For still counts against it.
    const direct = [];
    for (let i = 0; i < LIMIT + 1; i += 1) direct.push((await inject(gw, { url: '/api/v1/orders', headers: via(`192.0.2.${i}`), ip: '203.0.113.7' })).status);
    expect(direct).toEqual([401, 401, 401, 429]);
  });

  it('unauthenticated requests are limited per address: past the limit an address gets 429, another address is unaffected', async () => {
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT });
    const noCredentials = {};
    const statuses = [];
    for (let i = 0; i < LIMIT + 2; i += 1) statuses.push((await inject(gw, { url: '/api/v1/orders', headers: noCredentials, ip: ATTACKER_IP })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const last = await inject(gw, { url: '/api/v1/orders', headers: noCredentials, ip: ATTACKER_IP });
    expect(last.body.error.code).toBe('RATE_LIMIT_ERROR');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await inject(gw, { url: '/api/v1/orders', headers: noCredentials, ip: '10.0.0.2' })).status).toBe(401);
    expect((await inject(gw, { url: '/api/v1/orders', ip: ATTACKER_IP })).status).toBe(429); // an address over its limit waits, whoever it claims to be
  });

  it('each call of a batched tRPC request counts, and REST and tRPC share the merchant quota', async () => {
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT + 2 });
    // One REST call first
    expect((await inject(gw, { url: '/api/v1/orders' })).status).toBe(200);
    // Then one HTTP request carrying five calls: four fit in the quota, the fifth does not
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries([0, 1, 2, 3, 4].map((i) => [i, {}]))));
    const batch = await gw.app.inject({
      method: 'GET',
      url: `/trpc/${Array(5).fill('orders.list').join(',')}?batch=1&input=${input}`,
      headers: SEED_HEADERS,
      remoteAddress: VICTIM_IP,
    });
    const results = JSON.parse(batch.body) as Array<{ result?: unknown; error?: { data: { code: string; paygate: { code: string } } } }>;
    expect(results.map((r) => (r.error ? r.error.data.paygate.code : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMIT_ERROR']);
    expect(Number(batch.headers['retry-after'])).toBeGreaterThan(0);
    // And the quota is spent for REST too
    const rest = await inject(gw, { url: '/api/v1/orders' });
    expect(rest.status).toBe(429);
    expect(rest.body.error.description).toMatch(/per minute per merchant/);
  });

  it('another merchant has a quota of its own', async () => {
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT });
    const other = (await inject(gw, { url: '/api/v1/test/merchants', method: 'POST', body: { name: 'Other', email: 'other@example.com' } })).body;
    for (let i = 0; i < LIMIT; i += 1) expect((await inject(gw, { url: '/api/v1/orders' })).status).toBe(200);
    expect((await inject(gw, { url: '/api/v1/orders' })).status).toBe(429);
    const otherHeaders = { 'x-api-key': other.api_key, 'x-api-secret': other.api_secret };
    expect((await inject(gw, { url: '/api/v1/orders', headers: otherHeaders })).status).toBe(200);
    expect((await gw.app.inject({ method: 'GET', url: `/trpc/orders.list?input=${encodeURIComponent('{}')}`, headers: otherHeaders })).statusCode).toBe(200);
  });
});

describe('event streams per merchant', () => {
  let gateway: Gateway;
  const aborts: AbortController[] = [];
  beforeAll(async () => {
    const config = loadConfig(
      { environment: 'development', testMode: true, dataDir: 'memory', port: 0, host: '127.0.0.1', logLevel: 'silent', maxStreamsPerMerchant: 2 },
      {},
    );
    gateway = await startGateway(config, { role: 'all', listen: true, logger: createLogger('silent') });
  });
  afterAll(async () => {
    aborts.forEach((a) => a.abort());
    await gateway?.stop();
  });
  const open = async () => {
    const abort = new AbortController();
    aborts.push(abort);
    const res = await fetch(`${gateway.url}/api/v1/events/stream`, { headers: SEED_HEADERS, signal: abort.signal });
    return { res, abort };
  };

  it('caps concurrent streams per merchant with 429 RATE_LIMIT_ERROR that says why; a closed stream frees its slot', async () => {
    const first = await open();
    const second = await open();
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const third = await open();
    expect(third.res.status).toBe(429);
    const body = (await third.res.json()) as { error: { code: string; description: string } };
    expect(body.error.code).toBe('RATE_LIMIT_ERROR');
    expect(body.error.description).toMatch(/at most 2 event streams at once/);
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);

    first.abort.abort();
    await expect
      .poll(
        async () => {
          const again = await open();
          if (again.res.status === 200) again.abort.abort();
          else await again.res.body?.cancel();
          return again.res.status;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(200);
  });
});

const redisServerHere = hasBinary('redis-server');
const postgres = await serviceAvailable('postgres');

describe.skipIf(!redisServerHere || !postgres)('rate limits with Redis down', () => {
  const group = new ProcessGroup();
  afterAll(async () => group.killAll());

  it('fail open: API calls keep answering 2xx and one warning is logged for the outage, not one per request', async () => {
    const port = await freePort();
    const redisServer = await startRedisServer(group, port);
    const capture = captureLogs('info');
    const gw = await startTestGateway('postgres', { rateLimitPerMinute: 1_000, redisUrl: `redis://127.0.0.1:${port}/0` }, 'api', { logger: capture.logger });
    try {
      expect((await inject(gw, { url: '/api/v1/orders' })).status).toBe(200);
      // When Redis stops
      redisServer.signal('SIGKILL');
      await redisServer.exited;
      // Then calls still answer 2xx (orders live in the database)
      const statuses = [];
      for (let i = 0; i < 20; i += 1) {
        statuses.push((await inject(gw, { url: '/api/v1/orders', method: 'POST', body: { amount: 100 + i } })).status);
        statuses.push((await inject(gw, { url: '/api/v1/orders' })).status);
      }
      expect(statuses.filter((s) => s >= 300)).toEqual([]);
      // The outage shows when the limiter next sends its counts (every 100 ms by itself)
      await gw.app.rateLimiter.sync();
      const warnings = capture.lines.filter((l) => l.level === LEVEL.warn && /rate limit/i.test(String(l.msg)));
      expect(warnings).toHaveLength(1);
      expect(capture.lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
    } finally {
      await gw.close();
    }
  }, 60_000);
});
