// The gateway's browser-facing checkout files: /checkout.js (the built @paygate/sdk-web bundle)
// and the hosted page /checkout?order_id=… (the seed's URL). Neither may carry a secret.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HEADERS, startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('checkout.js and the hosted checkout page', () => {
  let gw: TestGateway;
  let merchant: { api_key: string; api_secret: string; webhook_secret: string };
  let orderId: string;
  /** Every secret that exists in this gateway: none may reach a browser. */
  let secrets: string[];

  beforeAll(async () => {
    gw = await startTestGateway('pglite');
    merchant = (await gw.call('POST', '/api/v1/test/merchants', { name: 'Chai & Co', email: 'chai@example.com' }, {})).body;
    orderId = (
      await gw.call('POST', '/api/v1/orders', { amount: 12_345, currency: 'INR' }, { 'x-api-key': merchant.api_key, 'x-api-secret': merchant.api_secret })
    ).body.id;
    secrets = [SEED_HEADERS['x-api-secret'], 'whsec_test_abc123', merchant.api_secret, merchant.webhook_secret];
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('serves checkout.js as built, cacheable and revalidated by ETag', async () => {
    // Given the bundle @paygate/sdk-web built
    const built = readFileSync(createRequire(import.meta.url).resolve('@paygate/sdk-web/checkout.js'), 'utf8');
    // When a merchant's page loads it
    const res = await gw.app.inject({ method: 'GET', url: '/checkout.js' });
    // Then it is that file, as JavaScript, cacheable for a few minutes, loadable cross-origin
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(built);
    expect(res.body).toContain('pay-checkout');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const etag = res.headers['etag'] as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    // And a revalidation with its ETag is a 304 without a body
    const again = await gw.app.inject({ method: 'GET', url: '/checkout.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it("serves the seed's hosted page for an order with its merchant's public key, under a strict CSP", async () => {
    // When a shopper opens the seed's URL, which names only the order
    const res = await gw.app.inject({ method: 'GET', url: `/checkout?order_id=${orderId}` });
    // Then the page holds the checkout for that order with the merchant's public key
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(`<pay-checkout order-id="${orderId}" key="${merchant.api_key}"></pay-checkout>`);
    expect(res.body).toContain('<script src="/checkout.js" defer></script>');
    // And it is never cached, and may run only the gateway's own script
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('answers a missing, malformed or unknown order with a page that says what is wrong', async () => {
    const cases = [
      { url: '/checkout', status: 400, text: '/checkout?order_id=order_' },
      { url: '/checkout?order_id=pay_123', status: 400, text: 'order_id must be an order id' },
      { url: '/checkout?order_id=order_0000000000000000', status: 404, text: 'No order order_0000000000000000' },
    ];
    for (const c of cases) {
      const res = await gw.app.inject({ method: 'GET', url: c.url });
      expect(res.statusCode, c.url).toBe(c.status);
      expect(res.headers['content-type'], c.url).toBe('text/html; charset=utf-8');
      expect(res.body, c.url).toContain(c.text);
      expect(res.body, c.url).not.toContain('<pay-checkout');
    }
  });

  it('escapes what the page echoes', async () => {
    const res = await gw.app.inject({ method: 'GET', url: `/checkout?order_id=${encodeURIComponent('<script>alert(1)</script>')}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<script>alert(1)');
  });

  it('gives the checkout order its test mode and UPI payee, and no secret', async () => {
    const res = await gw.call('GET', `/api/v1/checkout/orders/${orderId}`, undefined, { 'x-api-key': merchant.api_key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: orderId,
      amount: 12_345,
      currency: 'INR',
      status: 'created',
      merchant_name: 'Chai & Co',
      test_mode: true,
      upi_vpa: expect.stringMatching(/^paygate\.[a-z0-9._-]+@paygate$/),
    });
  });

  it('sends no secret to a browser: not in checkout.js, the page, or any checkout API answer', async () => {
    // Given a paid checkout
    const keyOnly = { 'x-api-key': merchant.api_key };
    const card = { number: '4111111111111111', expiry_month: 12, expiry_year: 2099, cvv: '123', name: 'A Shopper' };
    const payment = await gw.call('POST', '/api/v1/checkout/payments', { order_id: orderId, method: 'card', card }, keyOnly);
    expect(payment.status).toBe(201);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/checkout/payments/${payment.body.id}`, undefined, keyOnly)).body.status).toBe('success');
    // When everything a shopper's browser can fetch is read
    const answers = await Promise.all([
      gw.app.inject({ method: 'GET', url: '/checkout.js' }).then((r) => r.body),
      gw.app.inject({ method: 'GET', url: `/checkout?order_id=${orderId}` }).then((r) => r.body),
      gw.app.inject({ method: 'GET', url: '/checkout?order_id=order_0000000000000000' }).then((r) => r.body),
      gw.call('GET', `/api/v1/checkout/orders/${orderId}`, undefined, keyOnly).then((r) => JSON.stringify(r)),
      gw.call('GET', `/api/v1/checkout/payments/${payment.body.id}`, undefined, keyOnly).then((r) => JSON.stringify(r)),
      JSON.stringify(payment),
    ]);
    // Then no secret of any kind is in them, nor anything that looks like one
    for (const body of answers) {
      for (const secret of secrets) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/secret_[A-Za-z0-9]{6,}|whsec_[A-Za-z0-9+/=]{6,}/);
    }
  });
});
