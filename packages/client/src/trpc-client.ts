import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import type { AppRouter } from './generated/app-router.js';

declare module '@trpc/client' {
  interface OperationContext {
    /**
     * Sent as the `Idempotency-Key` header of a request carrying this call alone:
     * `pg.payments.create.mutate(input, { context: { idempotencyKey: 'k' } })`.
     */
    idempotencyKey?: string;
  }
}

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
 * Errors carry the REST codes in `error.data.paygate`. Calls are batched, except those given an
 * idempotency key (`{ context: { idempotencyKey } }`): each of those goes alone with an
 * `Idempotency-Key` header, since a header of a batched request would belong to every call in it.
 */
export function createPaygateClient(options: PaygateClientOptions) {
  const url = `${options.baseUrl.replace(/\/$/, '')}/trpc`;
  const credentials = { 'x-api-key': options.apiKey, 'x-api-secret': options.apiSecret };
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => typeof op.context.idempotencyKey === 'string',
        true: httpLink({
          url,
          headers: ({ op }) => ({ ...credentials, 'idempotency-key': op.context.idempotencyKey! }),
          ...fetchOption,
        }),
        false: httpBatchLink({ url, headers: credentials, ...fetchOption }),
      }),
    ],
  });
}
export type { AppRouter };
