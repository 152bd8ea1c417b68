import type { Knex } from 'knex';
import type { IdempotencyKeyRow } from '../../../model/rows.js';

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

/** Claims the key for this request; false when a record already exists. */
export async function claimIdempotencyKey({ db, scope, ...claim }: { db: Db; scope: Scope } & Claim): Promise<boolean> {
  const rows = await db<IdempotencyKeyRow>('idempotency_keys')
    .insert({ ...where(scope), ...inFlight(claim) })
    .onConflict(['merchant_id', 'method', 'path', 'key'])
    .ignore()
    .returning('key');
  return rows.length > 0;
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
  await db<IdempotencyKeyRow>('idempotency_keys')
    .where(heldBy(scope, lockedUntil))
    .update({ state: 'completed', response_status: status, response_body: body });
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
