import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorResponse } from './response-schemas.js';
import type { RawResponseDoc, RouteDoc } from './route-doc.js';

/** A route as Fastify registered it. */
export type RegisteredRoute = { method: string; url: string; config: FastifyContextConfig | undefined };

const DOCUMENTED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every route registered on `app` from now on (an `onRoute` hook, so call it before the
 * routes are added). The document is built from this list, so it has exactly the routes served.
 */
export function recordRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (DOCUMENTED_METHODS.has(method)) routes.push({ method, url: route.url, config: route.config as FastifyContextConfig | undefined });
    }
  });
  return routes;
}

// Core's schemas are written to be representable (patterns, not only refinements), so this
// throws when the app gets ready if one stops being so, instead of publishing a vaguer document.
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return rest;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input (BAD_REQUEST_ERROR, with the field)',
  401: 'Missing or wrong credentials (AUTHENTICATION_ERROR)',
  404: 'No such resource for this merchant (NOT_FOUND_ERROR)',
  409: 'Not allowed in the current state (INVALID_STATE_ERROR), or a request with this Idempotency-Key is still running (IDEMPOTENCY_IN_FLIGHT_ERROR)',
  422: 'Idempotency-Key reused with another body (IDEMPOTENCY_KEY_REUSED_ERROR)',
  429: 'Rate limit reached (RATE_LIMIT_ERROR)',
};

const isRaw = (r: z.ZodType | RawResponseDoc): r is RawResponseDoc => 'contentType' in r;

/** The error statuses a route can answer, read off what it declares and what its plugins do. */
function errorStatusesOf(url: string, config: FastifyContextConfig, doc: RouteDoc): number[] {
  const statuses = new Set<number>(doc.errors ?? []);
  const hasParams = url.includes(':');
  if (doc.body || doc.query || hasParams) statuses.add(400);
  if (config.auth === 'secret' || config.auth === 'key') statuses.add(401);
  if (hasParams) statuses.add(404);
  if (config.idempotent) [400, 409, 422].forEach((s) => statuses.add(s));
  if (url.startsWith('/api/') && !url.startsWith('/api/v1/test/')) statuses.add(429); // see the rate limiter's allowList
  return [...statuses].sort((a, b) => a - b);
}

function operationOf(route: RegisteredRoute, doc: RouteDoc) {
  const config = route.config ?? {};
  const parameters: unknown[] = [...route.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (doc.query) {
    const query = jsonSchemaOf(doc.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  if (config.idempotent) parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } });

  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = isRaw(response)
      ? { description: response.description, content: { [response.contentType]: { schema: { type: 'string' } } } }
      : { description: 'OK', content: { 'application/json': { schema: jsonSchemaOf(response, 'output') } } };
  }
  for (const status of errorStatusesOf(route.url, config, doc)) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: ERROR_REF } } };
  }
  responses['default'] = { description: 'Any other error, in the same envelope', content: { 'application/json': { schema: ERROR_REF } } };

  return {
    summary: doc.summary,
    security: config.auth === 'secret' ? [{ apiKey: [], apiSecret: [] }] : config.auth === 'key' ? [{ apiKey: [] }] : [],
    parameters,
    ...(doc.body
      ? { requestBody: { required: !doc.body.safeParse(undefined).success, content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input') } } } }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document served at /openapi.json, generated from the registered routes: each
 * one that carries `config.openapi` (every REST route does; a test holds them to it) with the
 * schemas it validates and answers with.
 */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], serverUrl?: string) {
  const paths: Record<string, Record<string, ReturnType<typeof operationOf>>> = {};
  for (const route of routes) {
    const doc = route.config?.openapi;
    if (!doc) continue;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operationOf(route, doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paygate API',
      version: '0.1.0',
      description: 'Orders, asynchronous payments, refunds and signed webhooks. Amounts are integers in minor units.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        apiSecret: { type: 'apiKey', in: 'header', name: 'X-Api-Secret' },
      },
      schemas: { Error: jsonSchemaOf(errorResponse, 'output') },
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
        const body = o.requestBody
          ? `<details><summary>body</summary><pre>${esc(JSON.stringify(o.requestBody.content['application/json'].schema, null, 2))}</pre></details>`
          : '';
        return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(o.summary)}${body}</td></tr>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Paygate API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}td{vertical-align:top;padding:.3rem .6rem;border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Paygate API</h1><p>${esc(doc.info.description)} Authenticate with <code>X-Api-Key</code> and <code>X-Api-Secret</code>. Errors: <code>{"error":{"code","description","field"}}</code>. Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<table>${rows}</table></body></html>`;
}
