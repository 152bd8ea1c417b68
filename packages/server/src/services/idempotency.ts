import { createHmac } from 'node:crypto';
import { PaygateError } from '@paygate/core';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  takeOverIdempotencyKey,
} from '../db/operations/idempotency-keys.js';
import type { ServiceDeps } from './deps.js';

/** Who may replay whose result: one merchant, one operation (REST method + path, or tRPC procedure), one key. */
export type IdempotencyScope = { merchantId: string; method: string; path: string; key: string };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight record older than this belongs to a request that died; it may be taken over. */
export const IN_FLIGHT_LEASE_MS = 60_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

type Deps = Pick<ServiceDeps, 'db' | 'clock' | 'config'>;

/** The key as sent (a header value, or absent), checked: 1 to 255 characters. */
export function parseIdempotencyKey(raw: string | string[] | undefined, field = 'Idempotency-Key'): string | undefined {
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0]! : raw;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new PaygateError('BAD_REQUEST_ERROR', `${field} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${key.length}.`, { field });
  }
  return key;
}

/** JSON with sorted keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The body without any `cvv`, wherever it sits: a CVV may not be kept after the request in any form. */
function withoutCvv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCvv);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k.toLowerCase() !== 'cvv').map(([k, v]) => [k, withoutCvv(v)]));
  }
  return value;
}

/**
 * What tells a retry (same request) from a different request under the same key: HMAC-SHA256,
 * keyed with `PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY`, of the body's canonical JSON without the CVV.
 *
 * @remarks A plain hash of a body holding a card number can be reversed by brute force (a PAN is
 * a known prefix, ~9 free digits and a check digit); keyed, it can't be without the key, which
 * lives with the API processes and never in the database. The CVV is left out altogether (PCI
 * DSS: never kept after authorisation, in any form), so two requests that differ only in their
 * CVV count as the same request: the retry replays the first result.
 */
export function requestFingerprint(fingerprintKey: string, body: unknown): string {
  return createHmac('sha256', fingerprintKey).update(canonicalJson(withoutCvv(body))).digest('hex');
}

function fingerprintKeyOf(deps: Deps): string {
  const key = deps.config.idempotencyFingerprintKey;
  // The gateway refuses to start an API without it; this only guards other composition roots.
  if (!key) throw new Error('PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY is not set');
  return key;
}

/** The outcome of {@link beginIdempotentRequest}: run the request (it holds the key), or replay this. */
export type IdempotencyStart = { kind: 'claimed'; scope: IdempotencyScope } | { kind: 'replay'; status: number; body: string };

/**
 * Claims the key for this request, or says what to answer instead:
 *  - a new key (or one expired, or abandoned in flight by a crashed request): claimed, run it;
 *  - same key + same body, finished: replay its stored status and body;
 *  - same key + different body: throws 422 `IDEMPOTENCY_KEY_REUSED_ERROR`;
 *  - same key while the first is still running: throws 409 `IDEMPOTENCY_IN_FLIGHT_ERROR`.
 *
 * @remarks The claim is an INSERT … ON CONFLICT DO NOTHING and a take-over a guarded UPDATE, so
 * of twenty concurrent identical requests exactly one runs.
 */
export async function beginIdempotentRequest(deps: Deps, scope: IdempotencyScope, body: unknown): Promise<IdempotencyStart> {
  const requestHash = requestFingerprint(fingerprintKeyOf(deps), body);
  const now = deps.clock.now();
  const times = { now, lockedUntil: new Date(now.getTime() + IN_FLIGHT_LEASE_MS), expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) };
  const { db } = deps;

  for (let tries = 0; tries < 3; tries += 1) {
    if (await claimIdempotencyKey({ db, scope, requestHash, ...times })) return { kind: 'claimed', scope };
    const seen = await findIdempotencyKey({ db, scope });
    if (!seen) continue; // released between our insert and read: claim again
    const expired = seen.expires_at <= now;
    if (!expired && seen.request_hash !== requestHash) {
      throw new PaygateError(
        'IDEMPOTENCY_KEY_REUSED_ERROR',
        `Idempotency-Key ${scope.key} was already used with a different request body. Use a new key for a different request.`,
        { field: 'Idempotency-Key' },
      );
    }
    const abandoned = expired || (seen.state === 'in_flight' && seen.locked_until <= now);
    if (abandoned) {
      if (await takeOverIdempotencyKey({ db, scope, seen, requestHash, ...times })) return { kind: 'claimed', scope };
      continue;
    }
    if (seen.state === 'in_flight') {
      throw new PaygateError(
        'IDEMPOTENCY_IN_FLIGHT_ERROR',
        `A request with Idempotency-Key ${scope.key} is still being processed. Retry shortly to get its result.`,
        { field: 'Idempotency-Key' },
      );
    }
    return { kind: 'replay', status: seen.response_status!, body: seen.response_body! };
  }
  throw new PaygateError('IDEMPOTENCY_IN_FLIGHT_ERROR', `Idempotency-Key ${scope.key} is contended. Retry shortly.`, { field: 'Idempotency-Key' });
}

/** Stores the successful outcome, to replay to retries for 24 h. */
export async function completeIdempotentRequest(deps: Pick<Deps, 'db'>, scope: IdempotencyScope, status: number, body: string): Promise<void> {
  await completeIdempotencyKey({ db: deps.db, scope, status, body });
}

/** Forgets the key of a request that failed, so a corrected retry with the same key runs. */
export async function releaseIdempotentRequest(deps: Pick<Deps, 'db'>, scope: IdempotencyScope): Promise<void> {
  await releaseIdempotencyKey({ db: deps.db, scope });
}
