import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { AppDeps } from '../../app-deps.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, retryAfterOf } from '../../model/retry-after.js';
import { makeCreateContext } from './context.js';
import { appRouter } from './router.js';

export async function trpcPlugin(app: FastifyInstance, deps: AppDeps) {
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: makeCreateContext(deps),
      // Every 500 is logged under its request id (the answer quotes it), as on REST.
      onError({ error, path, req }: { error: { code: string; cause?: unknown }; path?: string | undefined; req: FastifyRequest }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error, path }, 'unhandled error');
        else if (error.code === 'SERVICE_UNAVAILABLE') req.log.warn({ err: error.cause, path }, 'service unavailable');
      },
      // Retry-After, as on REST, when a call was refused for a while (rate limit) or a
      // dependency is down.
      responseMeta({ errors }: { errors: Array<{ code: string; cause?: unknown }> }) {
        let retryAfter = 0;
        for (const e of errors) {
          const seconds = retryAfterOf(e.cause);
          if (seconds !== undefined) retryAfter = Math.max(retryAfter, seconds);
          else if (e.code === 'SERVICE_UNAVAILABLE') retryAfter = Math.max(retryAfter, UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        return retryAfter > 0 ? { headers: { 'retry-after': String(retryAfter) } } : {};
      },
    },
  });
}
