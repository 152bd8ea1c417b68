import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { AppDeps } from '../../app-deps.js';

/**
 * Per-call context: the request headers (auth happens in a middleware), the app's deps, the
 * reply (for response headers), how many calls the HTTP request carries (a header such as
 * Idempotency-Key can only belong to one call), and the request's id and address (errors quote
 * the id; unauthenticated calls are limited per address), and the rate limiter REST uses, so both
 * transports draw on one quota.
 */
export function makeCreateContext(deps: AppDeps) {
  return ({ req, res, info }: CreateFastifyContextOptions) => ({
    deps,
    headers: req.headers,
    reply: res,
    callsInRequest: info.calls.length,
    requestId: String(req.id),
    ip: req.ip,
    rateLimiter: req.server.rateLimiter,
  });
}
export type Context = Awaited<ReturnType<ReturnType<typeof makeCreateContext>>>;
