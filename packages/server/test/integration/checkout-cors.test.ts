// CORS is open on the checkout API (/api/v1/checkout/…), which a shopper's browser calls from the
// merchant's origin with the public key only, and closed everywhere else. A browser can read an
// answer only if it carries Access-Control-Allow-Origin, so the checkout's errors (401, 404, 400,
// 429) must carry it too: a checkout shows the shopper why the payment failed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HEADERS, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SHOP = 'https://shop.example';
const KEY_ONLY = { 'x-api-key': SEED_HEADERS['x-api-key'] };

type Answer = { status: number; headers: Record<string, unknown>; body: string };

async function request(
  gw: TestGateway,
  method: 'GET' | 'POST' | 'OPTIONS',
  url: string,
  headers: Record<string, string>,
  options: { body?: unknown; ip?: string } = {},
): Promise<Answer> {
  const res = await gw.app.inject({
    method,
    url,
    headers: { ...headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/** What a browser sends before a cross-origin request with custom headers. */
const preflight = (method: string, headers = 'content-type,idempotency-key,x-api-key') => ({
  origin: SHOP,
  'access-control-request-method': method,
  'access-control-request-headers': headers,
});

const corsHeadersOf = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
const varyOf = (answer: Answer) => String(answer.headers['vary'] ?? '').toLowerCase();

describe('CORS on the checkout API, and nowhere else', () => {
  let gw: TestGateway;
  let orderId: string;

  beforeAll(async () => {
    gw = await startTestGateway('pglite');
    orderId = (await gw.call('POST', '/api/v1/orders', { amount: 1_000, currency: 'INR' })).body.id;
  });
  afterAll(async () => {
    await gw?.close();
  });

  it.each([
    ['GET /api/v1/checkout/orders/:id', 'GET', () => `/api/v1/checkout/orders/${orderId}`],
    ['POST /api/v1/checkout/payments', 'POST', () => '/api/v1/checkout/payments'],
    ['GET /api/v1/checkout/payments/:id', 'GET', () => '/api/v1/checkout/payments/pay_0000000000000000'],
  ])('answers the preflight of %s, without credentials', async (_route, method, url) => {
    // When a browser on the shop's origin asks before calling the checkout (a preflight never carries the key)
    const res = await request(gw, 'OPTIONS', url(), preflight(method));
    // Then it may: from that origin, with the checkout's methods and headers
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    const methods = String(res.headers['access-control-allow-methods']);
    expect(methods).toContain('GET');
    expect(methods).toContain('POST');
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['content-type', 'x-api-key', 'idempotency-key']) expect(allowed).toContain(header);
    expect(varyOf(res)).toContain('origin');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses a preflight that is not one (no Origin or no requested method) as before', async () => {
    const noMethod = await request(gw, 'OPTIONS', '/api/v1/checkout/payments', { origin: SHOP });
    expect(noMethod.status).toBe(400);
    expect(noMethod.body).toBe('Invalid Preflight Request');
    const noOrigin = await request(gw, 'OPTIONS', '/api/v1/checkout/payments', { 'access-control-request-method': 'POST' });
    expect(noOrigin.status).toBe(400);
    expect(corsHeadersOf(noOrigin)).toEqual([]);
  });

  it('lets the browser read a checkout answer made with the public key', async () => {
    const res = await request(gw, 'GET', `/api/v1/checkout/orders/${orderId}`, { ...KEY_ONLY, origin: SHOP });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    expect(varyOf(res)).toContain('origin');
    // Preflight headers belong to preflights only
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('sends no Access-Control-Allow-Origin to a checkout call without Origin (not from a browser on another origin)', async () => {
    const res = await request(gw, 'GET', `/api/v1/checkout/orders/${orderId}`, KEY_ONLY);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(varyOf(res)).toContain('origin');
  });

  it("lets the browser read the checkout's errors: 401, 404, 400", async () => {
    const badKey = await request(gw, 'GET', `/api/v1/checkout/orders/${orderId}`, { 'x-api-key': 'key_test_wrong', origin: SHOP });
    expect(badKey.status).toBe(401);
    expect(JSON.parse(badKey.body).error.code).toBe('AUTHENTICATION_ERROR');
    expect(badKey.headers['access-control-allow-origin']).toBe(SHOP);

    const missing = await request(gw, 'GET', '/api/v1/checkout/orders/order_0000000000000000', { ...KEY_ONLY, origin: SHOP });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe(SHOP);

    const invalid = await request(gw, 'POST', '/api/v1/checkout/payments', { ...KEY_ONLY, origin: SHOP }, { body: { order_id: orderId, method: 'teleport' } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['access-control-allow-origin']).toBe(SHOP);

    const noRoute = await request(gw, 'GET', '/api/v1/checkout/nothing-here', { ...KEY_ONLY, origin: SHOP });
    expect(noRoute.status).toBe(404);
    expect(noRoute.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('keeps CORS off the merchant API: no Access-Control headers, and its preflights are not answered', async () => {
    // The merchant's server calls it with the secret; a browser must never be allowed to
    const created = await request(gw, 'POST', '/api/v1/orders', { ...SEED_HEADERS, origin: SHOP }, { body: { amount: 500, currency: 'INR' } });
    expect(created.status).toBe(201);
    expect(corsHeadersOf(created)).toEqual([]);

    const asked = await request(gw, 'OPTIONS', '/api/v1/orders', preflight('POST', 'content-type,x-api-key,x-api-secret'));
    expect(asked.status).toBe(404);
    expect(corsHeadersOf(asked)).toEqual([]);

    const refused = await request(gw, 'GET', '/api/v1/orders', { 'x-api-key': 'key_test_wrong', origin: SHOP });
    expect(refused.status).toBe(401);
    expect(corsHeadersOf(refused)).toEqual([]);
  });

  it('keeps CORS off the other routes: health, the hosted page', async () => {
    for (const url of ['/health', `/checkout?order_id=${orderId}`]) {
      const res = await request(gw, 'GET', url, { origin: SHOP });
      expect(res.status, url).toBe(200);
      expect(corsHeadersOf(res), url).toEqual([]);
    }
    // A prefix of the checkout API that is not under it is not the checkout API
    const lookalike = await request(gw, 'OPTIONS', '/api/v1/checkout', preflight('GET'));
    expect(lookalike.status).toBe(404);
    expect(corsHeadersOf(lookalike)).toEqual([]);
  });
});

describe('CORS on a rate-limited checkout', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('lets the browser read a 429, and still answers preflights, which are not counted', async () => {
    const LIMIT = 2;
    gw = await startTestGateway('pglite', { rateLimitPerMinute: LIMIT });
    const orderId = (await gw.call('POST', '/api/v1/orders', { amount: 1_000, currency: 'INR' })).body.id;
    const url = `/api/v1/checkout/orders/${orderId}`;
    const shopper = '10.0.0.7';
    const statuses = [];
    for (let i = 0; i < LIMIT + 1; i += 1) {
      const res = await request(gw, 'GET', url, { ...KEY_ONLY, origin: SHOP }, { ip: shopper });
      statuses.push(res.status);
      expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    }
    expect(statuses).toEqual([200, 200, 429]);

    const asked = await request(gw, 'OPTIONS', url, preflight('GET'), { ip: shopper });
    expect(asked.status).toBe(204);
    expect(asked.headers['access-control-allow-origin']).toBe(SHOP);
  });
});
