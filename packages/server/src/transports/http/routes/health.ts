import type { FastifyInstance } from 'fastify';
import { QUEUE_NAMES } from '../../../ports/job-queue.js';
import { checkReadiness } from '../../../services/readiness.js';
import type { AppDeps } from '../../../app-deps.js';
import { healthResponse, readyResponse } from '../response-schemas.js';

export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  /** Liveness: the process answers. */
  app.get('/health', { config: { openapi: { summary: 'Liveness', responses: { 200: healthResponse } } } }, async () => ({ status: 'ok' }));

  /** Readiness: PostgreSQL (or PGlite) and the queue backend (Redis) both answer. */
  app.get(
    '/ready',
    { config: { openapi: { summary: 'Readiness: database and queue', responses: { 200: readyResponse, 503: readyResponse } } } },
    async (request, reply) => {
      const { ready, checks } = await checkReadiness(deps, request.log);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: { openapi: { summary: 'Prometheus metrics', responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } } } },
    },
    async (_request, reply) => {
      const counts = await deps.queue.counts().catch(() => undefined);
      if (counts) {
        for (const q of QUEUE_NAMES) {
          for (const state of ['waiting', 'delayed', 'active'] as const) deps.metrics.queueDepth.set({ queue: q, state }, counts[q][state]);
        }
      }
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  );
}
