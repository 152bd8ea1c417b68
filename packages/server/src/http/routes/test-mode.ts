import type { FastifyInstance } from 'fastify';
import { clockAdvanceSchema, createMerchantSchema, parseInput } from '@paygate/core';
import { createMerchant } from '../../services/merchants.js';
import { getJobStatus, resetData } from '../../services/test-mode.js';
import type { AppDeps } from '../app-deps.js';

/** Seed-compatible job counts: in development and test mode (not in production). */
export async function jobStatusRoute(app: FastifyInstance, deps: AppDeps) {
  app.get('/api/v1/test/jobs/status', async () => getJobStatus(deps));
}

/** Test mode only: tenants on demand, a controllable clock, and a reset. */
export async function testModeRoutes(app: FastifyInstance, deps: AppDeps & { testClock: NonNullable<AppDeps['testClock']> }) {
  app.post('/api/v1/test/merchants', async (request, reply) =>
    reply.code(201).send(await createMerchant(deps, parseInput(createMerchantSchema, request.body))),
  );
  const clockDto = () => ({ now: deps.clock.now().toISOString(), offset_seconds: Math.round(deps.testClock.offsetMs() / 1000) });
  app.get('/api/v1/test/clock', async () => clockDto());
  app.post('/api/v1/test/clock/advance', async (request) => {
    const { seconds } = parseInput(clockAdvanceSchema, request.body);
    await deps.testClock.advance(seconds);
    // In one process, fire what just came due now; other workers see the new offset within a
    // refresh (250 ms) and sweep on their next tick.
    await deps.relay?.sweep();
    return clockDto();
  });
  app.post('/api/v1/test/reset', async () => {
    await resetData(deps);
    await deps.testClock.reset();
    return { reset: true, now: deps.clock.now().toISOString() };
  });
}
