import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../../services/service-deps.js';
import { beginIdempotentRequest, completeIdempotentRequest, endFailedIdempotentRequest, parseIdempotencyKey } from '../../../services/idempotency.js';

/**
 * Idempotency-Key on creating POSTs (route `config.idempotent`), scoped per merchant, method and
 * path; the rules live in `services/idempotency.ts`, shared with tRPC. Here: claim before the
 * handler (or replay with `Idempotent-Replayed: true`), and on a 2xx store status + body before
 * the client sees them; a 4xx releases the key, so a corrected retry runs; a 5xx (the outcome
 * unknown) ends its lease but keeps it, so the retry recovers what may have been committed.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>) => {
    app.decorateRequest('idempotency', undefined);

    // Most requests carry no Idempotency-Key: they pass both hooks without a promise (callback
    // hooks), and only a claim costs the statements.
    app.addHook('preHandler', (request, reply, done) => {
      if (!request.routeOptions.config.idempotent || !request.merchant) return done();
      const key = parseIdempotencyKey(request.headers['idempotency-key']);
      if (key === undefined) return done();
      const scope = { merchantId: request.merchant.id, method: request.method, path: request.url.split('?')[0]!, key };
      beginIdempotentRequest(deps, scope, request.body).then((start) => {
        if (start.kind === 'claimed') {
          request.idempotency = { scope: start.scope, ref: start.ref, recovering: start.recovering, lockedUntil: start.lockedUntil };
          return done();
        }
        // A replay answers here; the handler does not run (Fastify: a hook that sends need not call done).
        reply.code(start.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(start.body);
      }, done);
    });

    // Store the outcome before the client sees it, so a retry right after gets the replay.
    app.addHook('onSend', (request, reply, payload, done) => {
      const claim = request.idempotency;
      if (!claim) return done(null, payload);
      request.idempotency = undefined;
      const stored =
        reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string'
          ? completeIdempotentRequest(deps, claim, reply.statusCode, payload)
          : endFailedIdempotentRequest(deps, claim, reply.statusCode);
      stored.then(() => done(null, payload), done);
    });
  },
  { name: 'paygate-idempotency', fastify: '5.x', dependencies: ['paygate-auth'] },
);
