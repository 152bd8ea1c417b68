import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HEADERS, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

type Case = { name: string; method?: 'POST' | 'PUT'; url?: string; body: unknown; contentType?: string; status: number; code: string; field?: string };

const ORDER = { amount: 50000, currency: 'INR', receipt: 'r1' };

// One valid order body, broken one way per row.
const CASES: Case[] = [
  { name: 'negative amount', body: { ...ORDER, amount: -100 }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'zero amount', body: { ...ORDER, amount: 0 }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'float amount', body: { ...ORDER, amount: 500.5 }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'string amount', body: { ...ORDER, amount: '50000' }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'huge amount', body: { ...ORDER, amount: 1e20 }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'amount beyond int8', body: '{"amount": 99999999999999999999999999999, "currency": "INR"}', status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'unknown currency', body: { ...ORDER, currency: 'XYZ' }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'currency' },
  { name: 'missing amount', body: { currency: 'INR' }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' },
  { name: 'extra field', body: { ...ORDER, admin: true }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'admin' },
  { name: 'body is an array', body: [ORDER], status: 400, code: 'BAD_REQUEST_ERROR' },
  { name: 'body is null', body: 'null', status: 400, code: 'BAD_REQUEST_ERROR' },
  { name: 'malformed JSON', body: '{"amount": 50000,', status: 400, code: 'BAD_REQUEST_ERROR' },
  { name: 'SQL-looking receipt is data, not SQL', body: { ...ORDER, receipt: "x'); DROP TABLE orders;--" }, status: 201, code: '' },
  { name: 'SQL-looking currency', body: { ...ORDER, currency: "INR' OR 1=1--" }, status: 400, code: 'BAD_REQUEST_ERROR', field: 'currency' },
  {
    name: 'wrong content type',
    body: 'amount=50000&currency=INR',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE_ERROR',
  },
  { name: 'text/plain JSON', body: JSON.stringify(ORDER), contentType: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE_ERROR' },
  { name: '1 MB body', body: JSON.stringify({ ...ORDER, receipt: 'x'.repeat(1_000_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE_ERROR' },
  {
    name: 'payment: malformed order id',
    url: '/api/v1/payments',
    body: { order_id: "order_x' OR '1'='1", method: 'upi', vpa: 'a@upi' },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'order_id',
  },
  {
    name: 'payment: unknown method',
    url: '/api/v1/payments',
    body: { order_id: 'order_0000000000000000', method: 'cash' },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'method',
  },
  {
    name: 'payment: bad VPA',
    url: '/api/v1/payments',
    body: { order_id: 'order_0000000000000000', method: 'upi', vpa: 'not a vpa' },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'vpa',
  },
  {
    name: 'payment: card fails Luhn',
    url: '/api/v1/payments',
    body: {
      order_id: 'order_0000000000000000',
      method: 'card',
      card: { number: '4111111111111112', expiry_month: 12, expiry_year: 2035, cvv: '123', name: 'A' },
    },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'card.number',
  },
  {
    name: 'payment: expired card',
    url: '/api/v1/payments',
    body: {
      order_id: 'order_0000000000000000',
      method: 'card',
      card: { number: '4111111111111111', expiry_month: 1, expiry_year: 2020, cvv: '123', name: 'A' },
    },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
  },
  {
    name: 'payment: order of nobody',
    url: '/api/v1/payments',
    body: { order_id: 'order_0000000000000000', method: 'upi', vpa: 'ab@upi' },
    status: 404,
    code: 'NOT_FOUND_ERROR',
    field: 'order_id',
  },
  {
    name: 'refund: string amount',
    url: '/api/v1/payments/pay_0000000000000000/refunds',
    body: { amount: 'all' },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'amount',
  },
  {
    name: 'webhook config: not a URL',
    method: 'PUT',
    url: '/api/v1/webhooks/config',
    body: { webhook_url: 'javascript:alert(1)' },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
    field: 'webhook_url',
  },
  {
    name: 'webhook config: unknown event',
    method: 'PUT',
    url: '/api/v1/webhooks/config',
    body: { webhook_url: 'http://localhost:4000/webhook', events: ['payment.exploded'] },
    status: 400,
    code: 'BAD_REQUEST_ERROR',
  },
];

describe.each(engines)('bad input on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(engine);
  });
  afterAll(async () => gw?.close());

  it.each(CASES)('$name → $status', async (c) => {
    const res = await gw.app.inject({
      method: c.method ?? 'POST',
      url: c.url ?? '/api/v1/orders',
      headers: { ...SEED_HEADERS, 'content-type': c.contentType ?? 'application/json' },
      payload: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    });
    expect(res.statusCode).toBe(c.status);
    const body = JSON.parse(res.body);
    if (c.status >= 400) {
      expect(body.error.code).toBe(c.code);
      expect(typeof body.error.description).toBe('string');
      expect(body.error.description.length).toBeGreaterThan(5);
      if (c.field) expect(body.error.field).toBe(c.field);
    }
  });

  it('loses no data: the orders table survives and counts only the good rows', async () => {
    const list = await gw.call('GET', '/api/v1/orders?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.data.some((o: { receipt: string }) => o.receipt === "x'); DROP TABLE orders;--")).toBe(true);
  });

  it('answers bad query strings with 400, not 500', async () => {
    for (const q of ['limit=abc', 'limit=0', 'limit=1000', 'offset=-1', 'foo=bar']) {
      const res = await gw.call('GET', `/api/v1/orders?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST_ERROR');
    }
    const unknownRoute = await gw.call('GET', '/api/v1/nothing');
    expect(unknownRoute.status).toBe(404);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the per-key limit', async () => {
    const gw = await startTestGateway('pglite', { rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i += 1) {
        last = await gw.app.inject({ method: 'GET', url: '/api/v1/orders', headers: SEED_HEADERS });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(last!.body).error.code).toBe('RATE_LIMIT_ERROR');
    } finally {
      await gw.close();
    }
  });
});
