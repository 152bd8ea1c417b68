import type { Knex } from 'knex';
import type { IdempotencyKeyRow } from '../../../model/rows.js';
import { prepared } from './prepared.js';

type Db = Knex | Knex.Transaction;
type Scope = { merchantId: string; method: string; path: string; key: string };

const where = (s: Scope) => ({ merchant_id: s.merchantId, method: s.method, path: s.path, key: s.key });

/** What a request claiming a key writes: the record, in flight, of this request. */
type Claim = { requestHash: string; idempotencyRef: string; now: Date; lockedUntil: Date; expiresAt: Date };
const inFlight = (c: Claim) => ({
  request_hash: c.requestHash,
  idempotency_ref: c.idempotencyRef,
  state: 'in_flight' as const,
  response_status: null,
  response_body: null,
  locked_until: c.lockedUntil,
  created_at: c.now,
  expires_at: c.expiresAt,
});

/**
 * Claims the key for this request; false when a record already exists. A named prepared statement
 * (a primary-key insert, see prepared.ts), as is the completion: every request with an
 * Idempotency-Key runs both, and built by knex and planned each time they cost a fifth more of
 * the API's and PostgreSQL's CPU (docs/performance.md, fortieth sitting).
 */
export async function claimIdempotencyKey({ db, scope, ...claim }: { db: Db; scope: Scope } & Claim): Promise<boolean> {
  const result = await prepared<{ rows: unknown[] }>(
    db,
    'claim_idempotency_key',
    `INSERT INTO idempotency_keys (merchant_id, method, path, key, request_hash, idempotency_ref, state, response_status, response_body, locked_until, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, 'in_flight', NULL, NULL, ?, ?, ?)
     ON CONFLICT (merchant_id, method, path, key) DO NOTHING
     RETURNING key`,
    [scope.merchantId, scope.method, scope.path, scope.key, claim.requestHash, claim.idempotencyRef, claim.lockedUntil, claim.now, claim.expiresAt],
  );
  return result.rows.length > 0;
}

export async function findIdempotencyKey({ db, scope }: { db: Db; scope: Scope }): Promise<IdempotencyKeyRow | undefined> {
  return db<IdempotencyKeyRow>('idempotency_keys').where(where(scope)).first();
}

/**
 * Takes over a record that expired, or that was left in flight by a crashed request (its lock ran
 * out). Guarded by the values read, so two takers can't both win.
 */
export async function takeOverIdempotencyKey({ db, scope, seen, ...claim }: { db: Db; scope: Scope; seen: IdempotencyKeyRow } & Claim): Promise<boolean> {
  const n = await db<IdempotencyKeyRow>('idempotency_keys')
    .where({ ...where(scope), state: seen.state, locked_until: seen.locked_until })
    .update(inFlight(claim));
  return n > 0;
}

/**
 * The in-flight record of this claim: `locked_until` tells claims apart (each claim and take-over
 * sets its own), so a request whose key was taken over can no longer complete or release it.
 */
const heldBy = (scope: Scope, lockedUntil: Date) => ({ ...where(scope), state: 'in_flight' as const, locked_until: lockedUntil });

export async function completeIdempotencyKey({
  db,
  scope,
  lockedUntil,
  status,
  body,
}: {
  db: Db;
  scope: Scope;
  lockedUntil: Date;
  status: number;
  body: string;
}): Promise<void> {
  await prepared(
    db,
    'complete_idempotency_key',
    `UPDATE idempotency_keys SET state = 'completed', response_status = ?, response_body = ?
      WHERE merchant_id = ? AND method = ? AND path = ? AND key = ? AND state = 'in_flight' AND locked_until = ?`,
    [status, body, scope.merchantId, scope.method, scope.path, scope.key, lockedUntil],
  );
}

/** Forgets an in-flight key whose request failed, so a corrected retry with the same key works. */
export async function releaseIdempotencyKey({ db, scope, lockedUntil }: { db: Db; scope: Scope; lockedUntil: Date }): Promise<void> {
  await db<IdempotencyKeyRow>('idempotency_keys').where(heldBy(scope, lockedUntil)).delete();
}

/**
 * Ends the lease of an in-flight key at `now`, keeping its recovery reference: the next retry
 * takes it over and finds whatever the failed request may have committed before it failed.
 */
export async function expireIdempotencyLease({ db, scope, lockedUntil, now }: { db: Db; scope: Scope; lockedUntil: Date; now: Date }): Promise<void> {
  await db<IdempotencyKeyRow>('idempotency_keys').where(heldBy(scope, lockedUntil)).update({ locked_until: now });
}

export async function deleteExpiredIdempotencyKeys({ db, now }: { db: Db; now: Date }): Promise<number> {
  return db<IdempotencyKeyRow>('idempotency_keys').where('expires_at', '<', now).delete();
}
