import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { PaygateError } from '@paygate/core';
import type { Knex } from 'knex';
import type { Clock } from '../clock/clock.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  takeOverIdempotencyKey,
} from '../db/operations/idempotency-keys.js';

export type IdempotencyScope = { merchantId: string; method: string; path: string; key: string };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight record older than this belongs to a request that died; it may be taken over. */
const IN_FLIGHT_LEASE_MS = 60_000;
const MAX_KEY_LENGTH = 255;

/** JSON with sorted keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Idempotency-Key on creating POSTs (route `config.idempotent`), scoped per merchant, method and
 * path, with a hash of the body:
 *  - first request claims the key (a row `in_flight`), runs, and on a 2xx stores status + body;
 *  - same key + same body replays that response with `Idempotent-Replayed: true`;
 *  - same key + different body → 422; same key while the first is in flight → 409;
 *  - a request that ends in an error stores nothing, so a corrected retry with the key works.
 * Keys are kept 24 h. The claim is an INSERT … ON CONFLICT DO NOTHING, so twenty concurrent
 * identical requests have exactly one winner.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, opts: { db: Knex; clock: Clock }) => {
    app.decorateRequest('idempotency', undefined);

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotent || !request.merchant) return;
      const raw = request.headers['idempotency-key'];
      if (raw === undefined) return;
      const key = Array.isArray(raw) ? raw[0]! : raw;
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        throw new PaygateError('BAD_REQUEST_ERROR', `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters; got ${key.length}.`, {
          field: 'Idempotency-Key',
        });
      }
      const scope: IdempotencyScope = { merchantId: request.merchant.id, method: request.method, path: request.url.split('?')[0]!, key };
      const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
      const now = opts.clock.now();
      const times = { now, lockedUntil: new Date(now.getTime() + IN_FLIGHT_LEASE_MS), expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) };

      for (let tries = 0; tries < 3; tries += 1) {
        if (await claimIdempotencyKey({ db: opts.db, scope, requestHash, ...times })) {
          request.idempotency = scope;
          return;
        }
        const seen = await findIdempotencyKey({ db: opts.db, scope });
        if (!seen) continue; // released between our insert and read: claim again
        const abandoned = seen.expires_at <= now || (seen.state === 'in_flight' && seen.locked_until <= now);
        if (abandoned) {
          if (await takeOverIdempotencyKey({ db: opts.db, scope, seen, requestHash, ...times })) {
            request.idempotency = scope;
            return;
          }
          continue;
        }
        if (seen.request_hash !== requestHash) {
          throw new PaygateError(
            'IDEMPOTENCY_KEY_REUSED_ERROR',
            `Idempotency-Key ${key} was already used with a different request body. Use a new key for a different request.`,
            { field: 'Idempotency-Key' },
          );
        }
        if (seen.state === 'in_flight') {
          throw new PaygateError(
            'IDEMPOTENCY_IN_FLIGHT_ERROR',
            `A request with Idempotency-Key ${key} is still being processed. Retry shortly to get its result.`,
            { field: 'Idempotency-Key' },
          );
        }
        return reply
          .code(seen.response_status!)
          .header('idempotent-replayed', 'true')
          .type('application/json; charset=utf-8')
          .send(seen.response_body);
      }
      throw new PaygateError('IDEMPOTENCY_IN_FLIGHT_ERROR', `Idempotency-Key ${key} is contended. Retry shortly.`, {
        field: 'Idempotency-Key',
      });
    });

    // Store the outcome before the client sees it, so a retry right after gets the replay.
    app.addHook('onSend', async (request, reply, payload) => {
      const scope = request.idempotency;
      if (!scope) return payload;
      request.idempotency = undefined;
      if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
        await completeIdempotencyKey({ db: opts.db, scope, status: reply.statusCode, body: payload });
      } else {
        await releaseIdempotencyKey({ db: opts.db, scope });
      }
      return payload;
    });
  },
  { name: 'paygate-idempotency', fastify: '5.x', dependencies: ['paygate-auth'] },
);
