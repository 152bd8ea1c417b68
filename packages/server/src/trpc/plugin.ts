import type { FastifyInstance } from 'fastify';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { AppDeps } from '../http/app-deps.js';
import { makeCreateContext } from './context.js';
import { appRouter } from './router.js';

export async function trpcPlugin(app: FastifyInstance, deps: AppDeps) {
  await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: appRouter, createContext: makeCreateContext(deps) } });
}
