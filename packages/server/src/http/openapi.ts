import { z } from 'zod';
import { createOrderSchema, createPaymentSchema, createRefundSchema, createMerchantSchema, clockAdvanceSchema, webhookConfigSchema } from '@paygate/core';

type Operation = {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  auth: 'secret' | 'key' | 'none';
  body?: z.ZodType;
  success: number;
  idempotent?: boolean;
  query?: boolean;
};

// The REST contract, one line per route (DESIGN.md). The request schemas are core's own, so the
// document can't drift from what the server validates.
const OPERATIONS: Operation[] = [
  { method: 'post', path: '/api/v1/orders', summary: 'Create an order', auth: 'secret', body: createOrderSchema, success: 201, idempotent: true },
  { method: 'get', path: '/api/v1/orders/{id}', summary: 'Get an order', auth: 'secret', success: 200 },
  { method: 'get', path: '/api/v1/orders', summary: 'List orders', auth: 'secret', success: 200, query: true },
  { method: 'post', path: '/api/v1/payments', summary: 'Create a payment (answers pending at once)', auth: 'secret', body: createPaymentSchema, success: 201, idempotent: true },
  { method: 'get', path: '/api/v1/payments/{id}', summary: 'Get a payment', auth: 'secret', success: 200 },
  { method: 'get', path: '/api/v1/payments', summary: 'List payments', auth: 'secret', success: 200, query: true },
  { method: 'post', path: '/api/v1/payments/{id}/capture', summary: 'Capture a successful payment', auth: 'secret', success: 200 },
  { method: 'post', path: '/api/v1/payments/{id}/refunds', summary: 'Refund a payment, fully or partly', auth: 'secret', body: createRefundSchema, success: 201, idempotent: true },
  { method: 'get', path: '/api/v1/payments/{id}/refunds', summary: "List a payment's refunds", auth: 'secret', success: 200, query: true },
  { method: 'get', path: '/api/v1/refunds/{id}', summary: 'Get a refund', auth: 'secret', success: 200 },
  { method: 'get', path: '/api/v1/webhooks', summary: 'Webhook delivery log with every attempt', auth: 'secret', success: 200, query: true },
  { method: 'post', path: '/api/v1/webhooks/{id}/retry', summary: 'Retry a failed delivery now', auth: 'secret', success: 200 },
  { method: 'get', path: '/api/v1/webhooks/config', summary: 'Get webhook URL, events and secret', auth: 'secret', success: 200 },
  { method: 'put', path: '/api/v1/webhooks/config', summary: 'Set webhook URL and events', auth: 'secret', body: webhookConfigSchema, success: 200 },
  { method: 'post', path: '/api/v1/webhooks/secret/regenerate', summary: 'Rotate the signing secret (old one valid for a grace period)', auth: 'secret', success: 200 },
  { method: 'post', path: '/api/v1/webhooks/test', summary: 'Send a webhook.test event', auth: 'secret', success: 202 },
  { method: 'get', path: '/api/v1/events/stream', summary: 'Live events as Server-Sent Events (text/event-stream); ?types=a,b filters; Last-Event-ID replays what was missed', auth: 'secret', success: 200 },
  { method: 'get', path: '/api/v1/checkout/orders/{id}', summary: 'Checkout: read an order (key only)', auth: 'key', success: 200 },
  { method: 'post', path: '/api/v1/checkout/payments', summary: 'Checkout: pay an order (key only)', auth: 'key', body: createPaymentSchema, success: 201, idempotent: true },
  { method: 'get', path: '/api/v1/checkout/payments/{id}', summary: 'Checkout: payment status (key only)', auth: 'key', success: 200 },
  { method: 'get', path: '/api/v1/test/jobs/status', summary: 'Queue counts and worker status (development and test mode)', auth: 'none', success: 200 },
  { method: 'post', path: '/api/v1/test/merchants', summary: 'Test mode: create a merchant', auth: 'none', body: createMerchantSchema, success: 201 },
  { method: 'post', path: '/api/v1/test/clock/advance', summary: 'Test mode: move the gateway clock forward', auth: 'none', body: clockAdvanceSchema, success: 200 },
  { method: 'post', path: '/api/v1/test/reset', summary: 'Test mode: empty the data', auth: 'none', success: 200 },
  { method: 'get', path: '/health', summary: 'Liveness', auth: 'none', success: 200 },
  { method: 'get', path: '/ready', summary: 'Readiness: database and queue', auth: 'none', success: 200 },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', auth: 'none', success: 200 },
];

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'description'],
      properties: { code: { type: 'string' }, description: { type: 'string' }, field: { type: 'string' } },
    },
  },
};

// Core's schemas are written to be representable (patterns, not only refinements), so this
// throws at start-up if one stops being so, instead of publishing a vaguer document.
const jsonSchemaOf = (schema: z.ZodType): unknown => z.toJSONSchema(schema, { io: 'input' });

/** The OpenAPI 3.1 document served at /openapi.json. */
export function buildOpenApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      params.push(
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } } as never,
        { name: 'offset', in: 'query', required: false, schema: { type: 'integer' } } as never,
        { name: 'status', in: 'query', required: false, schema: { type: 'string' } } as never,
      );
    }
    if (op.idempotent) params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } } as never);
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security: op.auth === 'secret' ? [{ apiKey: [], apiSecret: [] }] : op.auth === 'key' ? [{ apiKey: [] }] : [],
      parameters: params,
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(op.body) } } } } : {}),
      responses: {
        [op.success]: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Paygate API', version: '0.1.0', description: 'Orders, asynchronous payments, refunds and signed webhooks. Amounts are integers in minor units.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        apiSecret: { type: 'apiKey', in: 'header', name: 'X-Api-Secret' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

/** A self-contained HTML page over the document (no CDN: it works offline). */
export function renderDocsPage(doc: ReturnType<typeof buildOpenApiDocument>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const rows = Object.entries(doc.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const o = op as { summary: string; requestBody?: { content: { 'application/json': { schema: unknown } } } };
        const body = o.requestBody ? `<details><summary>body</summary><pre>${esc(JSON.stringify(o.requestBody.content['application/json'].schema, null, 2))}</pre></details>` : '';
        return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(o.summary)}${body}</td></tr>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Paygate API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}td{vertical-align:top;padding:.3rem .6rem;border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Paygate API</h1><p>${esc(doc.info.description)} Authenticate with <code>X-Api-Key</code> and <code>X-Api-Secret</code>. Errors: <code>{"error":{"code","description","field"}}</code>. Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<table>${rows}</table></body></html>`;
}
