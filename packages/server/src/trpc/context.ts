import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { AppDeps } from '../http/app-deps.js';

/** Per-call context: the request headers (auth happens in a middleware) and the app's deps. */
export function makeCreateContext(deps: AppDeps) {
  return ({ req }: CreateFastifyContextOptions) => ({ deps, headers: req.headers });
}
export type Context = Awaited<ReturnType<ReturnType<typeof makeCreateContext>>>;
