import type { Knex } from 'knex';
import { createGroupCommit, type Batcher } from '../../../lib/batcher.js';
import { requestBatchLimits } from '../../../lib/statements-at-once.js';
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

type ClaimOf = { scope: Scope } & Claim;
type Completion = { scope: Scope; lockedUntil: Date; status: number; body: string };

/** The record a claim inserts: every column of the table, by name, for `jsonb_populate_recordset`. */
const claimRecord = ({ scope, ...claim }: ClaimOf) => ({ ...where(scope), ...inFlight(claim) });

/**
 * Claims the key for this request; false when a record already exists. Claims made together
 * share one INSERT and one commit, as do completions (group commit, as for new orders in
 * payment-store.ts): a request with an Idempotency-Key writes its record twice, and one
 * statement each a request made an order cost about ten times the CPU of one without a key
 * (docs/performance.md, fortieth sitting). In a transaction, the statement runs alone in it.
 */
export async function claimIdempotencyKey({ db, ...claim }: { db: Db } & ClaimOf): Promise<boolean> {
  if (isTransaction(db)) return claimOne(db, claim);
  return (await batchesOf(db).claims.add([claim]))[0]!;
}

/** One claim: a named prepared statement (a primary-key insert, see prepared.ts). */
async function claimOne(db: Db, claim: ClaimOf): Promise<boolean> {
  const { scope } = claim;
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

/**
 * Several claims by one statement. Two for the same key in one batch: the first row inserts and
 * the second meets it (DO NOTHING), so exactly one is claimed, as with two statements. Which were
 * claimed is told by their references, each request's own (a fresh UUID).
 */
async function claimMany(db: Db, claims: ClaimOf[]): Promise<boolean[]> {
  const result = await prepared<{ rows: { idempotency_ref: string }[] }>(
    db,
    'claim_idempotency_keys',
    `INSERT INTO idempotency_keys SELECT * FROM jsonb_populate_recordset(NULL::idempotency_keys, ?::jsonb)
     ON CONFLICT (merchant_id, method, path, key) DO NOTHING
     RETURNING idempotency_ref`,
    [JSON.stringify(claims.map(claimRecord))],
  );
  const claimed = new Set(result.rows.map((r) => r.idempotency_ref));
  return claims.map((c) => claimed.has(c.idempotencyRef));
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

/** Stores a claim's outcome; nothing if the claim no longer holds the key. Batched as claims are. */
export async function completeIdempotencyKey({ db, ...completion }: { db: Db } & Completion): Promise<void> {
  if (isTransaction(db)) return completeOne(db, completion);
  await batchesOf(db).completions.add([completion]);
}

async function completeOne(db: Db, { scope, lockedUntil, status, body }: Completion): Promise<void> {
  await prepared(
    db,
    'complete_idempotency_key',
    `UPDATE idempotency_keys SET state = 'completed', response_status = ?, response_body = ?
      WHERE merchant_id = ? AND method = ? AND path = ? AND key = ? AND state = 'in_flight' AND locked_until = ?`,
    [status, body, scope.merchantId, scope.method, scope.path, scope.key, lockedUntil],
  );
}

/** Several completions by one statement: unnamed, with `LIMIT <batch size>` on the JSON (see prepared.ts). */
async function completeMany(db: Db, completions: Completion[]): Promise<void[]> {
  const records = completions.map(({ scope, lockedUntil, status, body }) => ({
    ...where(scope),
    locked_until: lockedUntil,
    response_status: status,
    response_body: body,
  }));
  await db.raw(
    `UPDATE idempotency_keys k SET state = 'completed', response_status = v.response_status, response_body = v.response_body
       FROM (SELECT * FROM jsonb_populate_recordset(NULL::idempotency_keys, ?::jsonb) LIMIT ?) v
      WHERE k.merchant_id = v.merchant_id AND k.method = v.method AND k.path = v.path AND k.key = v.key
        AND k.state = 'in_flight' AND k.locked_until = v.locked_until`,
    [JSON.stringify(records), records.length],
  );
  return completions.map(() => undefined);
}

type Batches = { claims: Batcher<ClaimOf, boolean>; completions: Batcher<Completion, void> };

/**
 * The batchers of one database handle, made at its first keyed request: every caller holding the
 * handle shares them without being handed them (the key's functions are called from REST's hooks,
 * tRPC's procedures and tests, all with the handle alone). Limits as for new orders; their start
 * threshold (payment-store.ts) gave keyed orders nothing clear (forty-third sitting, Tried and
 * not kept in docs/performance.md), so these batches start at the turn's end.
 */
const batchesByDb = new WeakMap<Knex, Batches>();

function batchesOf(db: Knex): Batches {
  let batches = batchesByDb.get(db);
  if (!batches) {
    // Several by the batch statement, one alone (or each alone, should the batch fail) by its own.
    const limits = requestBatchLimits(db);
    batches = {
      claims: createGroupCommit({ many: (claims) => claimMany(db, claims), one: (claim) => claimOne(db, claim), ...limits }),
      completions: createGroupCommit({ many: (completions) => completeMany(db, completions), one: (completion) => completeOne(db, completion), ...limits }),
    };
    batchesByDb.set(db, batches);
  }
  return batches;
}

const isTransaction = (db: Db): db is Knex.Transaction => (db as Knex.Transaction).isTransaction === true;

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
