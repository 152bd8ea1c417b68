import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '@paygate/core';
import { getStats } from '../../../services/stats.js';
import type { AppDeps } from '../../../app-deps.js';

const SINCE_HELP = 'since must be an ISO-8601 time such as 2026-01-15T00:00:00+05:30 (the start of your day)';
const statsQuery = z.strictObject(
  { since: z.iso.datetime({ offset: true, error: SINCE_HELP }) },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `field '${issue.keys[0]}' is not allowed in the query string; allowed fields: since` : SINCE_HELP),
  },
);

const count = z.number().int().nonnegative();
const statsResponse = z.strictObject({
  since: z.string(),
  payments: z.strictObject({ total: count, success: count, failed: count, pending: count }),
  success_rate: z.number().min(0).max(1).nullable(),
  by_currency: z.array(z.strictObject({ currency: z.string(), collected: count, refunded: count })),
});

/** `GET /api/v1/stats?since=`: the dashboard overview's figures (payments, success rate, money per currency). */
export async function statsRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get(
    '/api/v1/stats',
    {
      config: {
        auth: 'secret',
        openapi: {
          summary: 'Payments by status, success rate and amounts collected and refunded since a time',
          query: statsQuery,
          responses: { 200: statsResponse },
        },
      },
    },
    async (request) => getStats(deps, request.merchant!, new Date(parseInput(statsQuery, request.query).since)),
  );
}
