import { router } from './trpc.js';
import { ordersRouter } from './routers/orders.js';
import { paymentsRouter, refundsRouter } from './routers/payments.js';
import { webhooksRouter } from './routers/webhooks.js';

/** The tRPC API at /trpc: the same services as REST, one implementation, two transports. */
export const appRouter = router({
  orders: ordersRouter,
  payments: paymentsRouter,
  refunds: refundsRouter,
  webhooks: webhooksRouter,
});

/** The router's type, for `createPaygateClient` in merchants' TypeScript backends. */
export type AppRouter = typeof appRouter;
