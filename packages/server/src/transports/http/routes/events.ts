import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listQuerySchema, parseInput } from '@paygate/core';
import { EVENT_TYPES } from '../../../services/events.js';
import { listEvents } from '../../../services/event-log.js';
import type { AppDeps } from '../../../app-deps.js';
import { eventEnvelope, listOf } from '../response-schemas.js';

const TYPES = [...EVENT_TYPES, 'webhook.test'] as const;

const eventListQuery = listQuerySchema.omit({ status: true }).extend({
  payment_id: z.string({ error: 'payment_id must be a payment id such as pay_H8sK3jD9s2L1pQr' }).max(64).optional(),
  type: z.enum(TYPES, { error: `type must be one of: ${TYPES.join(', ')}` }).optional(),
});

/** `GET /api/v1/events`: the recorded events, newest first; `?payment_id=` gives one payment's timeline. */
export async function eventRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get(
    '/api/v1/events',
    {
      config: {
        auth: 'secret',
        openapi: {
          summary: "Recorded events, newest first (?payment_id= for one payment's timeline, ?type= for one kind)",
          query: eventListQuery,
          responses: { 200: listOf(eventEnvelope) },
        },
      },
    },
    async (request) => listEvents(deps, request.merchant!, parseInput(eventListQuery, request.query)),
  );
}
