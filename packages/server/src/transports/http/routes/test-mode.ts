import type { FastifyInstance } from 'fastify';
import { clockAdvanceSchema, createMerchantSchema, parseInput } from '@paygate/core';
import { createMerchant } from '../../../services/merchants.js';
import { getJobStatus, resetData } from '../../../services/test-mode.js';
import type { AppDeps } from '../../../app-deps.js';
import { clockResponse, jobStatusResponse, resetResponse, testMerchantResponse } from '../response-schemas.js';

/** Seed-compatible job counts: in development and test mode (not in production). */
export async function jobStatusRoute(app: FastifyInstance, deps: AppDeps) {
  app.get(
    '/api/v1/test/jobs/status',
    {
      config: { openapi: { summary: 'Queue counts and worker status (development and test mode)', responses: { 200: jobStatusResponse } } },
    },
    async () => getJobStatus(deps),
  );
}

/** Test mode only: tenants on demand, a controllable clock, and a reset. */
export async function testModeRoutes(app: FastifyInstance, deps: AppDeps & { testClock: NonNullable<AppDeps['testClock']> }) {
  app.post(
    '/api/v1/test/merchants',
    {
      config: { openapi: { summary: 'Test mode: create a merchant', body: createMerchantSchema, responses: { 201: testMerchantResponse } } },
    },
    async (request, reply) => reply.code(201).send(await createMerchant(deps, parseInput(createMerchantSchema, request.body))),
  );
  const clockDto = () => ({ now: deps.clock.now().toISOString(), offset_seconds: Math.round(deps.testClock.offsetMs() / 1000) });
  app.get('/api/v1/test/clock', { config: { openapi: { summary: 'Test mode: the gateway clock', responses: { 200: clockResponse } } } }, async () =>
    clockDto(),
  );
  app.post(
    '/api/v1/test/clock/advance',
    {
      config: { openapi: { summary: 'Test mode: move the gateway clock forward', body: clockAdvanceSchema, responses: { 200: clockResponse } } },
    },
    async (request) => {
      const { seconds } = parseInput(clockAdvanceSchema, request.body);
      await deps.testClock.advance(seconds);
      // In one process, fire what just came due now; the advance announced itself to the other
      // processes (on Redis, in split mode), whose workers read the new offset and sweep soon.
      await deps.relay?.sweep();
      return clockDto();
    },
  );
  app.post('/api/v1/test/reset', { config: { openapi: { summary: 'Test mode: empty the data', responses: { 200: resetResponse } } } }, async () => {
    await resetData(deps);
    await deps.testClock.reset();
    return { reset: true, now: deps.clock.now().toISOString() };
  });
}
