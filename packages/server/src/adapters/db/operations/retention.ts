import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Statuses after which a delivery needs nothing more: no attempt will be made or counted. */
const FINISHED = `('success', 'failed')`;

const deleted = (result: { rowCount?: number | null }) => result.rowCount ?? 0;

/**
 * Deletes every attempt of up to `limit` finished deliveries that finished before `before` and
 * still have attempts older than it. A delivery loses all its attempts at once, never some, so
 * numbering stays consistent should it be retried by hand later.
 *
 * @remarks The deliveries are locked (SKIP LOCKED) for the statement: a manual retry that moves
 * one back to pending waits for it, or has already committed and so excludes it.
 */
export async function deleteAttemptsOfFinishedDeliveries({
  db,
  before,
  limit,
}: {
  db: Db;
  before: Date;
  limit: number;
}): Promise<{ deliveries: number; attempts: number }> {
  const result = await db.raw<{ rows: { deliveries: number | string; attempts: number | string }[] }>(
    `WITH d AS (
       SELECT w.id FROM webhook_logs w
        WHERE w.status IN ${FINISHED} AND w.updated_at < ?
          AND w.id IN (SELECT a.webhook_log_id FROM webhook_attempts a WHERE a.attempted_at < ?)
        LIMIT ?
        FOR UPDATE OF w SKIP LOCKED
     ),
     gone AS (DELETE FROM webhook_attempts a USING d WHERE a.webhook_log_id = d.id RETURNING 1)
     SELECT (SELECT count(*) FROM d) AS deliveries, (SELECT count(*) FROM gone) AS attempts`,
    [before, before, limit],
  );
  const row = result.rows[0];
  return { deliveries: Number(row?.deliveries ?? 0), attempts: Number(row?.attempts ?? 0) };
}

// Events' age across all merchants, without an index of its own: the two statements below read
// events merchant by merchant through events_merchant_created_idx (merchant_id, created_at), the
// index the event list uses, in a LATERAL subquery per merchant. The outer LIMIT stops the walk
// once a batch is full, so a batch locks no more rows than it takes. An index on created_at alone
// would cost every event one more index entry, three a payment, for a job that runs hourly
// (docs/performance.md, twenty-second sitting).

/**
 * Deletes up to `limit` finished deliveries (their attempts cascade) whose event is older than
 * `before`. A pending delivery is never touched: it still needs its event and attempt count.
 */
export async function deleteFinishedDeliveriesOfOldEvents({ db, before, limit }: { db: Db; before: Date; limit: number }): Promise<number> {
  const result = await db.raw<{ rowCount: number | null }>(
    `DELETE FROM webhook_logs
      WHERE id IN (
        SELECT d.id FROM merchants m, LATERAL (
          SELECT w.id FROM events e JOIN webhook_logs w ON w.event_id = e.id
           WHERE e.merchant_id = m.id AND e.created_at < ? AND w.status IN ${FINISHED}
           LIMIT ?
           FOR UPDATE OF w SKIP LOCKED) d
         LIMIT ?)
        AND status IN ${FINISHED}`,
    [before, limit, limit],
  );
  return deleted(result);
}

/**
 * Deletes up to `limit` events older than `before` that have no delivery left. An event whose
 * delivery is pending keeps it, so it stays; deliveries are only ever created with their event,
 * so none can appear for an old event meanwhile.
 */
export async function deleteOldEventsWithoutDeliveries({ db, before, limit }: { db: Db; before: Date; limit: number }): Promise<number> {
  const result = await db.raw<{ rowCount: number | null }>(
    `DELETE FROM events
      WHERE id IN (
        SELECT old.id FROM merchants m, LATERAL (
          SELECT e.id FROM events e
           WHERE e.merchant_id = m.id AND e.created_at < ?
             AND NOT EXISTS (SELECT 1 FROM webhook_logs w WHERE w.event_id = e.id)
           ORDER BY e.created_at
           LIMIT ?
           FOR UPDATE OF e SKIP LOCKED) old
         LIMIT ?)`,
    [before, limit, limit],
  );
  return deleted(result);
}

/** Deletes up to `limit` heartbeats not refreshed since `before` (real time): dead workers. */
export async function deleteStaleHeartbeats({ db, before, limit }: { db: Db; before: Date; limit: number }): Promise<number> {
  const result = await db.raw<{ rowCount: number | null }>(
    `DELETE FROM worker_heartbeats
      WHERE worker_id IN (SELECT worker_id FROM worker_heartbeats WHERE last_seen_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
  return deleted(result);
}
