import type { Knex } from 'knex';
import { runPlanCached, type PlanCachedStatement } from './plan-cached.js';

type Db = Knex | Knex.Transaction;

export type RelayWindow = {
  /** Gateway-clock now: what is due. */
  now: Date;
  /** Real now: stamped on what gets queued. */
  realNow: Date;
  /** Real time before which a queued-but-untouched job is presumed lost. */
  staleBefore: Date;
  limit: number;
};

/** What the relay sweeps for: settlements and deliveries whose job looks lost, and retries come due. */
export type RelayKind = 'payments' | 'refunds' | 'deliveries';

type Claim = { sql: string; bindings: Knex.RawBinding[] };

/**
 * Pending payments (or refunds) that are due and whose job looks lost: due for longer than the
 * stale window and queued (if ever) before it.
 */
function staleSettlements(table: 'payments' | 'refunds', window: RelayWindow): Claim {
  const staleMs = window.realNow.getTime() - window.staleBefore.getTime();
  return {
    sql: `UPDATE ${table} SET enqueued_at = ?
      WHERE id IN (
        SELECT id FROM ${table}
         WHERE status = 'pending' AND process_after <= ?
           AND (enqueued_at IS NULL OR enqueued_at < ?)
         ORDER BY process_after
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    bindings: [window.realNow, new Date(window.now.getTime() - staleMs), window.staleBefore, window.limit],
  };
}

/**
 * Deliveries whose next attempt is due (gateway clock) and that have no live job: either none was
 * queued since the last attempt (retries are queued only here, which is what lets an advanced
 * test clock fire them at once), or the one queued looks lost, and no worker holds it.
 */
function dueDeliveries(window: RelayWindow): Claim {
  return {
    sql: `UPDATE webhook_logs SET enqueued_at = ?
      WHERE id IN (
        SELECT id FROM webhook_logs
         WHERE status = 'pending' AND next_attempt_at <= ?
           AND (enqueued_at IS NULL OR enqueued_at < ?)
           AND (locked_until IS NULL OR locked_until < ?)
         ORDER BY next_attempt_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    bindings: [window.realNow, window.now, window.staleBefore, window.realNow, window.limit],
  };
}

/**
 * Claims a page (`window.limit`) of each kind asked for, marking each claimed row queued now, in
 * ONE statement: a relay sweeps twice a second in every worker, idle or not, and each statement
 * costs a round trip and a plan (on PGlite, two thread hops as well). SKIP LOCKED lets several
 * relays share the work.
 */
export async function claimRelayWork({
  db,
  kinds,
  window,
}: {
  db: Db;
  kinds: readonly RelayKind[];
  window: RelayWindow;
}): Promise<Record<RelayKind, string[]>> {
  const claimed: Record<RelayKind, string[]> = { payments: [], refunds: [], deliveries: [] };
  if (kinds.length === 0) return claimed;
  const claims = kinds.map((kind) => claimOf(kind, window));
  const bindings = claims.flatMap((c) => c.bindings);
  // A sweep of every kind (each sweep's first page) is one statement text, kept planned where the database can (see plan-cached.ts).
  const result = sameKinds(kinds, ALL_KINDS)
    ? await runPlanCached<{ rows: { kind: number; id: string }[] }>(db, CLAIM_ALL_KINDS, bindings)
    : await db.raw<{ rows: { kind: number; id: string }[] }>(claimsSql(claims), bindings);
  for (const row of result.rows) claimed[kinds[Number(row.kind)]!].push(row.id);
  return claimed;
}

const claimOf = (kind: RelayKind, window: RelayWindow): Claim => (kind === 'deliveries' ? dueDeliveries(window) : staleSettlements(kind, window));

/** One statement of the claims, each row tagged with its claim's position. */
const claimsSql = (claims: readonly Claim[]) =>
  `WITH ${claims.map((c, i) => `c${i} AS (${c.sql})`).join(',\n')}
     ${claims.map((_, i) => `SELECT ${i} AS kind, id FROM c${i}`).join('\n UNION ALL ')}`;

const ALL_KINDS: readonly RelayKind[] = ['payments', 'refunds', 'deliveries'];
const sameKinds = (a: readonly RelayKind[], b: readonly RelayKind[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The claim of every kind in one statement (its text depends only on the kinds; any window gives it). */
const CLAIM_ALL_KINDS: PlanCachedStatement = (() => {
  const window: RelayWindow = { now: new Date(0), realNow: new Date(0), staleBefore: new Date(0), limit: 0 };
  const claims = ALL_KINDS.map((kind) => claimOf(kind, window));
  return {
    name: 'paygate_claim_relay_work',
    sql: claimsSql(claims),
    parameters: claims.flatMap((c) => c.bindings.map((b) => (typeof b === 'number' ? 'int' : 'timestamptz'))),
    returns: 'kind int, id text',
  };
})();

/** The relay's statements the database keeps planned (see plan-cached.ts). */
export const RELAY_STATEMENTS: readonly PlanCachedStatement[] = [CLAIM_ALL_KINDS];

/** Records that a worker is alive (real time). */
export async function upsertHeartbeat({
  db,
  worker,
  realNow,
}: {
  db: Db;
  worker: { id: string; hostname: string; pid: number; concurrency: number; startedAt: Date };
  realNow: Date;
}): Promise<void> {
  await db('worker_heartbeats')
    .insert({
      worker_id: worker.id,
      hostname: worker.hostname,
      pid: worker.pid,
      concurrency: worker.concurrency,
      started_at: worker.startedAt,
      last_seen_at: realNow,
    })
    .onConflict('worker_id')
    .merge(['last_seen_at']);
}

export async function deleteHeartbeat({ db, workerId }: { db: Db; workerId: string }): Promise<void> {
  await db('worker_heartbeats').where({ worker_id: workerId }).delete();
}

export async function countLiveWorkers({ db, since }: { db: Db; since: Date }): Promise<number> {
  const row = await db('worker_heartbeats').where('last_seen_at', '>=', since).count<{ count: number | string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}
