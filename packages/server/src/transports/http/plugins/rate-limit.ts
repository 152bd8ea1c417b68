import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isPaygateError } from '@paygate/core';
import { rateLimitError, subjectKey, type RateSubject } from '../../rate-limit/rate-limit-error.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import type { StreamSlots } from '../../rate-limit/stream-slots.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Request counts per merchant (or per address before authentication), for every transport. */
    rateLimiter: RateLimiter;
    /** Concurrent event streams per merchant. */
    streamSlots: StreamSlots;
  }
}

// The API, minus test mode's own endpoints (CI drives them hard on purpose); pages, health and
// metrics are not limited.
const isLimited = (request: FastifyRequest) => request.url.startsWith('/api/') && !request.url.startsWith('/api/v1/test/');

/**
 * Rate limits on REST, counted after authentication: per merchant for requests with valid
 * credentials, per address for the rest (the public checkout key identifies nobody, and a
 * failed authentication must cost its sender, never the merchant whose key it names). tRPC
 * counts in its merchant procedure (`trpc/trpc.ts`), each call of a batch on its own.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, opts: { limiter: RateLimiter; streamSlots: StreamSlots }) => {
    const { limiter } = opts;
    app.decorate('rateLimiter', limiter);
    app.decorate('streamSlots', opts.streamSlots);
    if (limiter.limit <= 0) return;

    // Registered before the auth plugin, so this runs first: an address that has used up its
    // tries without valid credentials waits before it may try any again.
    app.addHook('onRequest', async (request) => {
      if (!isLimited(request)) return;
      const wait = limiter.blockedFor(subjectKey({ kind: 'address', ip: request.ip }));
      if (wait > 0) throw rateLimitError({ kind: 'address', ip: request.ip }, limiter.limit, wait);
    });

    // preParsing runs after every onRequest hook, authentication included, and before the body
    // is read: the merchant is known, and a refused request costs no parsing.
    app.addHook('preParsing', async (request, reply) => {
      if (!isLimited(request)) return;
      const subject: RateSubject =
        (request.routeOptions.config.auth ?? 'none') === 'secret' && request.merchant
          ? { kind: 'merchant', id: request.merchant.id }
          : { kind: 'address', ip: request.ip };
      const verdict = await limiter.hit(subjectKey(subject));
      reply.header('x-ratelimit-limit', String(verdict.limit));
      reply.header('x-ratelimit-remaining', String(verdict.remaining));
      reply.header('x-ratelimit-reset', String(verdict.resetSeconds));
      if (!verdict.allowed) throw rateLimitError(subject, verdict.limit, verdict.resetSeconds);
    });

    // A failed authentication counts against the address that sent it.
    app.addHook('onError', async (request, _reply, error) => {
      if (isLimited(request) && isPaygateError(error) && error.code === 'AUTHENTICATION_ERROR') {
        await limiter.hit(subjectKey({ kind: 'address', ip: request.ip }));
      }
    });
  },
  { name: 'paygate-rate-limit', fastify: '5.x' },
);
