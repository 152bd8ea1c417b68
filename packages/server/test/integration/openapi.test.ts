import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEED_HEADERS, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';

type Operation = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>; security: unknown[] };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

/** The REST surface the document must cover: the API, plus health, readiness and metrics. */
const isRestPath = (path: string) => path.startsWith('/api/v1/') || ['/health', '/ready', '/metrics'].includes(path);
const toTemplate = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * Every method + path Fastify serves, read from its own route tree (`printRoutes`), which knows
 * nothing of the document: each line is one path segment below its parent, indented 4 per level.
 */
function servedRoutes(app: TestGateway['app']): Set<string> {
  const served = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[└├]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) {
      if (!['HEAD', 'OPTIONS', 'TRACE', 'QUERY'].includes(method) && isRestPath(path)) served.add(`${method.toLowerCase()} ${toTemplate(path)}`);
    }
  }
  return served;
}

describe('the OpenAPI document', () => {
  let gw: TestGateway;
  let doc: Document;
  beforeAll(async () => {
    gw = await startTestGateway('pglite');
    doc = (await gw.call('GET', '/openapi.json', undefined, {})).body as Document;
  });
  afterAll(async () => {
    await gw?.close();
  });

  const documented = () => new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));

  it('lists exactly the routes the server serves', () => {
    const served = servedRoutes(gw.app);
    expect(served.size).toBeGreaterThan(25);
    expect(
      [...served].filter((r) => !documented().has(r)),
      'served but not documented',
    ).toEqual([]);
    expect(
      [...documented()].filter((r) => !served.has(r)),
      'documented but not served',
    ).toEqual([]);
  });

  it('gives every operation a success answer, and the error envelope for every error status', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => /^2\d\d$/.test(s)),
          `${where} has a 2xx`,
        ).toBe(true);
        expect(statuses, where).toContain('default');
        for (const status of statuses.filter((s) => /^[45]\d\d$|^default$/.test(s) && !(path === '/ready' && s === '503'))) {
          expect(op.responses[status]!.content!['application/json']!.schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
        if (path.startsWith('/api/v1/') && !path.startsWith('/api/v1/test/')) expect(statuses, `${where} can be rate limited`).toContain('429');
        if (op.security.length > 0) expect(statuses, `${where} needs credentials`).toContain('401');
        if (path.includes('{')) expect(statuses, `${where} has ids`).toEqual(expect.arrayContaining(['400', '404']));
      }
    }
    expect(doc.components.schemas['Error']).toMatchObject({ required: ['error'] });
  });

  it('describes what each route really answers, field for field', async () => {
    const exercised = new Set<string>();
    const bodySchema = (op: Operation, status: number) => {
      const response = op.responses[String(status)] ?? op.responses['default'];
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) return undefined;
      return z.fromJSONSchema((schema['$ref'] ? doc.components.schemas['Error'] : schema) as never);
    };
    /** Calls a route by its template, and checks the answer's status and body against the document. */
    async function call(method: string, template: string, params: Record<string, string> = {}, body?: unknown, headers: Record<string, string> = SEED_HEADERS) {
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
      const res = await gw.call(method, url, body, headers);
      const path = template.split('?')[0]!; // a query string is part of the call, not of the documented path
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect(op, `${method} ${template} documented`).toBeDefined();
      expect(Object.keys(op!.responses), `${method} ${template} answered ${res.status}`).toContain(String(res.status));
      const schema = bodySchema(op!, res.status);
      const checked = schema?.safeParse(res.body);
      expect(checked?.success, `${method} ${template} ${res.status}: ${JSON.stringify(checked?.error?.issues)} in ${JSON.stringify(res.body)}`).toBe(true);
      exercised.add(`${method.toLowerCase()} ${path}`);
      return res;
    }

    // Health
    await call('GET', '/health', {}, undefined, {});
    await call('GET', '/ready', {}, undefined, {});
    // Orders and payments, with errors on the way
    await call('POST', '/api/v1/orders', {}, { amount: 'ten' });
    await call('GET', '/api/v1/orders', {}, undefined, {});
    const order = (await call('POST', '/api/v1/orders', {}, { amount: 50_000, currency: 'INR', receipt: 'r-1', notes: { a: 'b' } })).body;
    await call('GET', '/api/v1/orders/{id}', { id: order.id });
    await call('GET', '/api/v1/orders/{id}', { id: 'order_0000000000000000' });
    await call('GET', '/api/v1/orders');
    const payment = (await call('POST', '/api/v1/payments', {}, { order_id: order.id, method: 'upi', vpa: 'success@paygate' })).body;
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('success');
    await call('GET', '/api/v1/payments/{id}', { id: payment.id });
    await call('GET', '/api/v1/payments');
    await call('POST', '/api/v1/payments/{id}/capture', { id: payment.id });
    const refund = (await call('POST', '/api/v1/payments/{id}/refunds', { id: payment.id }, { amount: 100 })).body;
    await call('GET', '/api/v1/payments/{id}/refunds', { id: payment.id });
    await call('GET', '/api/v1/refunds/{id}', { id: refund.id });
    await call('GET', '/api/v1/refunds');
    // The dashboard's reads: events (one payment's timeline), the overview's figures
    await call('GET', '/api/v1/events', {}, undefined);
    await call('GET', `/api/v1/events?payment_id=${payment.id}`);
    await call('GET', `/api/v1/stats?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    // Card payments through the checkout (key only)
    const keyOnly = { 'x-api-key': SEED_HEADERS['x-api-key'] };
    const order2 = (await call('POST', '/api/v1/orders', {}, { amount: 1_000 })).body;
    await call('GET', '/api/v1/checkout/orders/{id}', { id: order2.id }, undefined, keyOnly);
    const card = { number: '4111111111111111', expiry_month: 12, expiry_year: 2099, cvv: '123' };
    const checkout = (await call('POST', '/api/v1/checkout/payments', {}, { order_id: order2.id, method: 'card', card }, keyOnly)).body;
    await call('GET', '/api/v1/checkout/payments/{id}', { id: checkout.id }, undefined, keyOnly);
    await call('GET', '/api/v1/payments/{id}', { id: checkout.id });
    // Webhooks, delivered to a real receiver
    const receiver = await startReceiver();
    try {
      await call('GET', '/api/v1/webhooks/config');
      await call('PUT', '/api/v1/webhooks/config', {}, { webhook_url: receiver.url, events: null });
      await call('POST', '/api/v1/webhooks/secret/regenerate');
      const sent = (await call('POST', '/api/v1/webhooks/test')).body;
      await expect.poll(async () => (await gw.call('GET', `/api/v1/webhooks/${sent.delivery_id}`)).body.status).toBe('success');
      await call('GET', '/api/v1/webhooks');
      await call('GET', '/api/v1/webhooks/{id}', { id: sent.delivery_id });
      await call('POST', '/api/v1/webhooks/{id}/retry', { id: sent.delivery_id });
      await call('POST', '/api/v1/webhooks/{id}/retry', { id: 'whd_0000000000000000' });
    } finally {
      await receiver.close();
    }
    // Test mode
    await call('GET', '/api/v1/test/jobs/status', {}, undefined, {});
    await call('POST', '/api/v1/test/merchants', {}, { name: 'Docs', email: 'docs@example.com' }, {});
    await call('GET', '/api/v1/test/clock', {}, undefined, {});
    await call('POST', '/api/v1/test/clock/advance', {}, { seconds: 1 }, {});
    await call('POST', '/api/v1/test/reset', {}, undefined, {});

    // Every JSON route was checked (the stream and the metrics are text)
    const notJson = ['get /api/v1/events/stream', 'get /metrics'];
    expect([...documented()].filter((r) => !exercised.has(r) && !notJson.includes(r))).toEqual([]);
  });

  it('keeps /docs working, generated from the same document', async () => {
    const page = await gw.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    for (const path of Object.keys(doc.paths)) expect(page.body).toContain(path.replace(/&/g, '&amp;'));
  });
});
