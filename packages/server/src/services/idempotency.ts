import { createHmac, randomUUID } from 'node:crypto';
import { PaygateError, httpStatusOf } from '@paygate/core';
import { isUniqueViolation } from '../adapters/db/operations/unique-violation.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  expireIdempotencyLease,
  findIdempotencyKey,
  releaseIdempotencyKey,
  takeOverIdempotencyKey,
} from '../adapters/db/operations/idempotency-keys.js';
import type { ServiceDeps } from './service-deps.js';

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
export function canonicalJson(value: unknown): string {
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
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k.toLowerCase() !== 'cvv')
        .map(([k, v]) => [k, withoutCvv(v)]),
    );
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
  return createHmac('sha256', fingerprintKey)
    .update(canonicalJson(withoutCvv(body)))
    .digest('hex');
}

function fingerprintKeyOf(deps: Deps): string {
  const key = deps.config.idempotencyFingerprintKey;
  // The gateway refuses to start an API without it; this only guards other composition roots.
  if (!key) throw new Error('PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY is not set');
  return key;
}

/** Whether a stored fingerprint is this request's: made with the current key, or the one before a rotation. */
function sameRequest(deps: Deps, stored: string, current: string, body: unknown): boolean {
  if (stored === current) return true;
  const previous = deps.config.idempotencyFingerprintPreviousKey;
  return previous !== undefined && stored === requestFingerprint(previous, body);
}

/**
 * What a use case that creates a resource is told when it runs under an Idempotency-Key. It writes
 * `ref` on the row it creates, in the statement that creates it (a unique column): the recovery
 * point. When `recovering`, the key was taken over from a request that died in flight, which may
 * have committed its resource before dying: the use case returns that resource if it exists,
 * instead of creating another.
 */
export type IdempotentCreation = { ref: string; recovering: boolean };

/** A claimed key: the request runs, and completes or releases it (if it still holds it: `lockedUntil`). */
export type IdempotencyClaim = IdempotentCreation & { scope: IdempotencyScope; lockedUntil: Date };

/** The outcome of {@link beginIdempotentRequest}: run the request (it holds the key), or replay this. */
export type IdempotencyStart = ({ kind: 'claimed' } & IdempotencyClaim) | { kind: 'replay'; status: number; body: string };

/**
 * Claims the key for this request, or says what to answer instead:
 *  - a new key (or one expired, or abandoned in flight by a crashed request): claimed, run it
 *    (see {@link IdempotentCreation} for the abandoned case);
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
  // A claim whose answer was lost (the connection dropped after the commit) would hold the key
  // with nobody to end it: every retry would get 409 until the lease ran out. End that lease too.
  const claiming = async (write: () => Promise<boolean>): Promise<boolean> => {
    try {
      return await write();
    } catch (error) {
      abandonIdempotentRequest(deps, { scope, lockedUntil: times.lockedUntil, ref: '', recovering: false }).catch(() => undefined);
      throw error;
    }
  };

  for (let tries = 0; tries < 3; tries += 1) {
    const fresh = randomUUID();
    if (await claiming(() => claimIdempotencyKey({ db, scope, requestHash, idempotencyRef: fresh, ...times }))) {
      return { kind: 'claimed', scope, ref: fresh, recovering: false, lockedUntil: times.lockedUntil };
    }
    const seen = await findIdempotencyKey({ db, scope });
    if (!seen) continue; // released between our insert and read: claim again
    const expired = seen.expires_at <= now;
    if (!expired && !sameRequest(deps, seen.request_hash, requestHash, body)) {
      throw new PaygateError(
        'IDEMPOTENCY_KEY_REUSED_ERROR',
        `Idempotency-Key ${scope.key} was already used with a different request body. Use a new key for a different request.`,
        { field: 'Idempotency-Key' },
      );
    }
    const abandoned = expired || (seen.state === 'in_flight' && seen.locked_until <= now);
    if (abandoned) {
      // An expired key is a new request; one left in flight may have created its resource before
      // its process died, so the taker keeps the reference and looks for it first.
      const ref = expired || !seen.idempotency_ref ? fresh : seen.idempotency_ref;
      if (await claiming(() => takeOverIdempotencyKey({ db, scope, seen, requestHash, idempotencyRef: ref, ...times }))) {
        return { kind: 'claimed', scope, ref, recovering: ref !== fresh, lockedUntil: times.lockedUntil };
      }
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
export async function completeIdempotentRequest(deps: Pick<Deps, 'db' | 'clock'>, claim: IdempotencyClaim, status: number, body: string): Promise<void> {
  await finishKey(deps, claim, () => completeIdempotencyKey({ db: deps.db, scope: claim.scope, lockedUntil: claim.lockedUntil, status, body }));
}

/** Forgets the key of a request that failed, so a corrected retry with the same key runs. */
export async function releaseIdempotentRequest(deps: Pick<Deps, 'db' | 'clock'>, claim: IdempotencyClaim): Promise<void> {
  await finishKey(deps, claim, () => releaseIdempotencyKey({ db: deps.db, scope: claim.scope, lockedUntil: claim.lockedUntil }));
}

/**
 * Gives up the key of a request whose outcome is unknown (a 5xx: the database connection dropped
 * mid-statement, say, so the resource may have committed) without forgetting it: the lease ends
 * now and the recovery reference stays, so the merchant's retry takes the key over at once and
 * returns the resource if it exists instead of creating a second one. Releasing it here instead
 * would let that retry start afresh and charge twice.
 */
export async function abandonIdempotentRequest(deps: Pick<Deps, 'db' | 'clock'>, claim: IdempotencyClaim): Promise<void> {
  await finishKey(deps, claim, () => expireIdempotencyLease({ db: deps.db, scope: claim.scope, lockedUntil: claim.lockedUntil, now: deps.clock.now() }));
}

/** How a failed request leaves its key: a client error is forgotten (a corrected retry runs), anything else kept for recovery. */
export function endFailedIdempotentRequest(deps: Pick<Deps, 'db' | 'clock'>, claim: IdempotencyClaim, status: number): Promise<void> {
  return status >= 400 && status < 500 ? releaseIdempotentRequest(deps, claim) : abandonIdempotentRequest(deps, claim);
}

const FINISH_RETRY_FIRST_MS = 250;
const FINISH_RETRY_MAX_MS = 5_000;

/**
 * A key's last write (complete or release), now; if it fails (the database is away: the same
 * outage that most likely failed the request), tried again in the background with back-off while
 * the claim's lease lasts, and the error is thrown for the caller to answer with. Without this a
 * merchant retrying after a 503 would get 409 until the lease ran out (60 s), though nothing runs.
 * Both writes are guarded by the lease, so a late one never touches a key someone took over.
 */
async function finishKey(deps: Pick<Deps, 'clock'>, claim: IdempotencyClaim, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const retry = (delayMs: number) => {
      if (deps.clock.now() >= claim.lockedUntil) return; // a retry now takes the key over anyway
      setTimeout(() => void write().catch(() => retry(Math.min(delayMs * 2, FINISH_RETRY_MAX_MS))), delayMs).unref();
    };
    retry(FINISH_RETRY_FIRST_MS);
    throw error;
  }
}

/**
 * Creates a resource at most once per Idempotency-Key record. `create` writes `ref` on the new row
 * (its unique `idempotency_ref`, in the creating statement itself); `find` reads the row holding a
 * reference. Without a key it just creates (`ref` null).
 *
 * @remarks Two ways the first attempt's resource can exist when this runs: its process died after
 * committing but before completing the key (then we are `recovering`, and look first), or it is
 * merely slow and still running after its lease ran out (then the unique index refuses whichever
 * insert comes second, and that one returns the other's resource).
 */
export async function createOnce<T>(
  idempotency: IdempotentCreation | undefined,
  resource: { uniqueIndex: string; find: (ref: string) => Promise<T | undefined>; create: (ref: string | null) => Promise<T> },
): Promise<T> {
  if (!idempotency) return resource.create(null);
  if (idempotency.recovering) {
    const existing = await resource.find(idempotency.ref);
    if (existing !== undefined) return existing;
  }
  try {
    return await resource.create(idempotency.ref);
  } catch (error) {
    if (!isUniqueViolation(error, resource.uniqueIndex)) throw error;
    const existing = await resource.find(idempotency.ref);
    if (existing === undefined) throw error;
    return existing;
  }
}

/**
 * A use case run under an Idempotency-Key from start to end (for transports without hooks, such
 * as tRPC): begins, runs `work` with the claim, stores its JSON result (status 200) or releases
 * the key when it throws; a replay returns the stored result without running anything.
 */
export async function runIdempotently<T>(
  deps: Deps & Pick<ServiceDeps, 'log'>,
  scope: IdempotencyScope,
  body: unknown,
  work: (creation: IdempotentCreation) => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  const start = await beginIdempotentRequest(deps, scope, body);
  if (start.kind === 'replay') return { value: JSON.parse(start.body) as T, replayed: true };
  let value: T;
  try {
    value = await work(start);
  } catch (error) {
    // A client error releases the key so a corrected retry runs; anything else keeps it for
    // recovery (see abandonIdempotentRequest). If even that write fails, the lease runs out.
    const status = error instanceof PaygateError ? httpStatusOf(error.code) : 500;
    await endFailedIdempotentRequest(deps, start, status).catch((err: unknown) => deps.log.warn({ err, key: scope.key }, 'idempotency key release failed'));
    throw error;
  }
  await completeIdempotentRequest(deps, start, 200, JSON.stringify(value));
  return { value, replayed: false };
}
