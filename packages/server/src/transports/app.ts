import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import './http/types.js';
import type { AppDeps } from '../app-deps.js';
import { checkoutRoutes } from './http/routes/checkout.js';
import { checkoutPageRoutes } from './http/routes/checkout-page.js';
import { healthRoutes } from './http/routes/health.js';
import { orderRoutes } from './http/routes/orders.js';
import { paymentRoutes } from './http/routes/payments.js';
import { jobStatusRoute, testModeRoutes } from './http/routes/test-mode.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { docsRoutes } from './http/routes/docs.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { eventRoutes } from './http/routes/events.js';
import { statsRoutes } from './http/routes/stats.js';
import { recordRoutes } from './http/openapi.js';
import { eventStreamRoutes } from './http/routes/events-stream.js';
import { authPlugin } from './http/plugins/auth.js';
import { checkoutCorsPlugin } from './http/plugins/checkout-cors.js';
import { errorsPlugin } from './http/plugins/errors.js';
import { idempotencyPlugin } from './http/plugins/idempotency.js';
import { rateLimitPlugin } from './http/plugins/rate-limit.js';
import { createRateLimiter } from './rate-limit/rate-limiter.js';
import { createStreamSlots } from './rate-limit/stream-slots.js';
import { trpcPlugin } from './trpc/plugin.js';
import { lazyRequestLogger } from './http/lazy-request-logger.js';

export type BuildAppOptions = {
  logger: Logger;
  /** Shares rate-limit counters between API processes (production); memory otherwise. */
  redis?: Redis | undefined;
};

/** A caller's own `x-request-id` is kept when it looks like an id (a trace across services). */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Stands in for Fastify's schema compilers: a route that brings a schema fails at start, saying why. */
function noSchemaCompiler(): never {
  throw new Error('Fastify route schemas are not compiled here: validate with a zod schema from @paygate/core in the handler (see routes/orders.ts).');
}

/**
 * The gateway's HTTP app, not listening: tests call `app.inject()`, `gateway.ts` listens.
 * Everything it needs arrives in `deps`; nothing is read from globals.
 */
export async function buildApp(deps: AppDeps, options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    // Behind a load balancer the TCP peer is the proxy: believe X-Forwarded-For only from the
    // proxies PAYGATE_TRUST_PROXY names, so request.ip (rate limits by address) is the client.
    trustProxy: config.trustProxy,
    // Ids unique across processes and restarts (Fastify's default, req-1, req-2…, repeats in
    // every process, so a quoted id could not be found in the logs).
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Per-request lines only at debug: at 1,000 requests/s they would be most of the output.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    // Each request's logger made only when it writes (most never do).
    childLoggerFactory: lazyRequestLogger,
    // Input is validated with core's zod schemas in the handlers, and replies are plain JSON: no
    // route has a Fastify schema. Without these, Fastify loads ajv and fast-json-stringify anyway,
    // a tenth of a second of every start (`pg-cli dev`'s above all) for compilers never called.
    schemaController: { compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler } },
  });
  const routes = recordRoutes(app as unknown as FastifyInstance); // before any route: /openapi.json is generated from them
  // Only JSON bodies: text/plain would reach the validators as a string; say 415 instead.
  app.removeContentTypeParser('text/plain');

  await app.register(errorsPlugin, { bodyLimit: config.bodyLimitBytes, classifyError: deps.classifyError });
  // Only the checkout API is for browsers. Before rate limit and auth, so that their errors carry
  // CORS headers (a browser could not read them otherwise) and preflights skip both.
  await app.register(checkoutCorsPlugin);
  // Before auth: it refuses addresses that ran out of tries first, and counts after auth.
  await app.register(rateLimitPlugin, {
    limiter: createRateLimiter({ limit: config.rateLimitPerMinute, redis: options.redis, log: options.logger }),
    streamSlots: createStreamSlots(config.maxStreamsPerMerchant),
  });
  await app.register(authPlugin, { authenticator: deps.authenticator });
  await app.register(idempotencyPlugin, deps);

  await app.register(healthRoutes, deps);
  await app.register(orderRoutes, deps);
  await app.register(paymentRoutes, deps);
  await app.register(webhookRoutes, deps);
  await app.register(eventStreamRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(statsRoutes, deps);
  await app.register(checkoutRoutes, deps);
  await app.register(checkoutPageRoutes, deps);
  if (config.testMode || config.environment === 'development') await app.register(jobStatusRoute, deps);
  if (config.testMode && deps.testClock) await app.register(testModeRoutes, { ...deps, testClock: deps.testClock });
  await app.register(trpcPlugin, deps);
  await app.register(docsRoutes, { routes });
  await app.register(dashboardRoutes, { config });
  // Fastify types the instance by its logger; callers only need the base interface.
  return app as unknown as FastifyInstance;
}
