import type { MerchantRow } from '../../model/rows.js';
import type { IdempotencyClaim } from '../../services/idempotency.js';
import type { RouteDoc } from './route-doc.js';

/** How a route authenticates: API key + secret, key only (checkout), or not at all. */
export type RouteAuth = 'secret' | 'key' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** POSTs that create: honour Idempotency-Key. */
    idempotent?: boolean;
    /** What /openapi.json says of the route (`http/openapi.ts` builds the document from these). */
    openapi?: RouteDoc;
  }
  interface FastifyRequest {
    merchant: MerchantRow | undefined;
    /** The Idempotency-Key this request holds; creating routes hand it to their use case. */
    idempotency: IdempotencyClaim | undefined;
  }
}

export {};
