import type { MerchantRow } from '../db/tables.js';
import type { IdempotencyScope } from '../plugins/idempotency.js';

/** How a route authenticates: API key + secret, key only (checkout), or not at all. */
export type RouteAuth = 'secret' | 'key' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** POSTs that create: honour Idempotency-Key. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    merchant: MerchantRow | undefined;
    idempotency: IdempotencyScope | undefined;
  }
}

export {};
