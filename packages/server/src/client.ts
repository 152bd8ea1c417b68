import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from './trpc/router.js';

export type PaygateClientOptions = {
  /** The gateway's base URL, e.g. http://localhost:8000. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  fetch?: typeof fetch;
};

/**
 * A typed client for merchants' TypeScript backends, over tRPC:
 * `const pg = createPaygateClient({...}); await pg.orders.create.mutate({ amount: 50000, currency: 'INR' })`.
 * Errors carry the REST codes in `error.data.paygate`.
 */
export function createPaygateClient(options: PaygateClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/$/, '')}/trpc`,
        headers: { 'x-api-key': options.apiKey, 'x-api-secret': options.apiSecret },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
export type { AppRouter };
