import { afterEach, describe, expect, it } from 'vitest';
import { createPaygateClient } from '../../src/client.js';
import { loadConfig } from '../../src/config.js';
import { startGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createMerchant } from '../../src/services/merchants.js';
import { injectFetch, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

const SEED_CREDENTIALS = /key_test_abc123|secret_test_xyz789/;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(engine: Parameters<typeof startTestGateway>[0], overrides: Parameters<typeof startTestGateway>[1] = {}): Promise<TestGateway> {
  const gw = await startTestGateway(engine, overrides);
  cleanups.push(() => gw.close());
  return gw;
}

describe.each(engines)('merchant authentication on %s', (engine) => {
  it('in production, no 401 mentions the seed test credentials (REST and tRPC)', async () => {
    // Given a production gateway and a real merchant
    const gw = await gateway(engine, { environment: 'production', testMode: false });
    const merchant = await createMerchant(gw.deps, { name: 'Acme', email: 'ops@acme.test' });

    // When credentials are wrong in each way
    const attempts: Array<Record<string, string>> = [
      { 'x-api-key': merchant.api_key, 'x-api-secret': 'wrong' },
      { 'x-api-key': 'key_live_0000000000000000', 'x-api-secret': 'wrong' },
      { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' },
      { 'x-api-key': merchant.api_key },
      {},
    ];
    for (const headers of attempts) {
      const res = await gw.call('GET', '/api/v1/orders', undefined, headers);
      // Then each is a 401 that does not teach the seed's public credentials
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.code).toBe('AUTHENTICATION_ERROR');
      expect(JSON.stringify(res.body)).not.toMatch(SEED_CREDENTIALS);
    }
    const checkout = await gw.call('GET', '/api/v1/checkout/orders/order_0000000000000000', undefined, { 'x-api-key': 'key_test_abc123' });
    expect(checkout.status).toBe(401);
    expect(JSON.stringify(checkout.body)).not.toMatch(SEED_CREDENTIALS);

    const trpc = createPaygateClient({ baseUrl: 'http://gateway.test', apiKey: merchant.api_key, apiSecret: 'wrong', fetch: injectFetch(gw) });
    const error = await trpc.orders.list.query({ limit: 10, offset: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { httpStatus: 401, paygate: { code: 'AUTHENTICATION_ERROR' } } });
    expect(JSON.stringify(error)).not.toMatch(SEED_CREDENTIALS);
    expect((error as Error).message).not.toMatch(SEED_CREDENTIALS);

    // And the real merchant's own credentials work
    expect((await gw.call('GET', '/api/v1/orders', undefined, { 'x-api-key': merchant.api_key, 'x-api-secret': merchant.api_secret })).status).toBe(200);
  });

  it('in test mode, the 401 still points at the seed credentials (they exist there)', async () => {
    const gw = await gateway(engine);
    const res = await gw.call('GET', '/api/v1/orders', undefined, { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body.error.description).toMatch(SEED_CREDENTIALS);
  });

  it('every operation /openapi.json says needs credentials refuses a request without them, its HEAD too, and one with a wrong secret', async () => {
    // Given the operations the document says are authenticated (a HEAD route is Fastify's copy of its GET)
    const gw = await gateway(engine);
    const doc = (await gw.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { security: unknown[] }>> };
    const guarded = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security.length > 0)
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          url: path.replace(/\{[^}]+\}/g, 'x_0000000000000000'),
          bySecret: operation.security.some((s) => 'apiSecret' in (s as object)),
        })),
    );
    expect(guarded.length).toBeGreaterThan(15);

    for (const { method, url, bySecret } of guarded) {
      const body = method === 'POST' ? {} : undefined;
      // When each is called with no credentials
      const bare = await gw.call(method, url, body, {});
      // Then it is a 401, before the body or the path's ids are looked at
      expect(bare.status, `${method} ${url}`).toBe(401);
      expect(bare.body.error.code).toBe('AUTHENTICATION_ERROR');
      if (method === 'GET') expect((await gw.call('HEAD', url, undefined, {})).status, `HEAD ${url}`).toBe(401);
      if (bySecret) {
        const wrongSecret = await gw.call(method, url, body, { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'wrong' });
        expect(wrongSecret.status, `${method} ${url}, wrong secret`).toBe(401);
      }
    }
    // And an open route needs none
    expect((await gw.call('HEAD', '/health', undefined, {})).status).toBe(200);
  });

  it('after POST /api/v1/test/reset, a merchant made with POST /api/v1/test/merchants is refused at once, though it was just cached', async () => {
    // Given a test-made merchant that has just authenticated (so the authenticator caches it)
    const gw = await gateway(engine);
    const made = await gw.call('POST', '/api/v1/test/merchants', { name: 'Tenant', email: 'tenant@example.com' });
    expect(made.status).toBe(201);
    const headers = { 'x-api-key': made.body.api_key, 'x-api-secret': made.body.api_secret };
    expect((await gw.call('GET', '/api/v1/orders', undefined, headers)).status).toBe(200);

    // When the data is reset
    expect((await gw.call('POST', '/api/v1/test/reset', {})).status).toBe(200);

    // Then its credentials are refused on the very next request, on both transports
    const after = await gw.call('GET', '/api/v1/orders', undefined, headers);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('AUTHENTICATION_ERROR');
    const trpc = createPaygateClient({ baseUrl: 'http://gateway.test', apiKey: made.body.api_key, apiSecret: made.body.api_secret, fetch: injectFetch(gw) });
    await expect(trpc.orders.list.query({ limit: 10, offset: 0 })).rejects.toMatchObject({ data: { httpStatus: 401 } });
    // And the seed merchant, which the reset keeps, still works
    expect((await gw.call('GET', '/api/v1/orders')).status).toBe(200);
  });
});

describe.skipIf(!engines.includes('postgres'))('merchant authentication with two API processes on one PostgreSQL', () => {
  it('a reset through one API process is seen by the other at its next clock refresh, however fresh its cache', async () => {
    // Given two API processes on one database: A (which also runs the workers) and B
    const a = await gateway('postgres');
    const config = loadConfig({ ...a.config, databaseUrl: a.config.databaseUrl }, {});
    const b = await startGateway(config, { role: 'api', logger: createLogger('silent'), listen: false });
    cleanups.push(() => b.stop());
    const callB = (headers: Record<string, string>) => b.app!.inject({ method: 'GET', url: '/api/v1/orders', headers });

    // And a test-made merchant that B has just authenticated (cached for seconds)
    const made = await a.call('POST', '/api/v1/test/merchants', { name: 'Tenant', email: 'tenant@example.com' });
    const headers = { 'x-api-key': made.body.api_key, 'x-api-secret': made.body.api_secret };
    expect((await callB(headers)).statusCode).toBe(200);

    // When A resets the data
    expect((await a.call('POST', '/api/v1/test/reset', {})).status).toBe(200);

    // Then B refuses the merchant as soon as it has read the shared clock row once more (every
    // 250 ms in a running process; done here by hand so the test does not race the timer)
    await b.testClock!.refresh();
    expect((await callB(headers)).statusCode).toBe(401);
  });
});
