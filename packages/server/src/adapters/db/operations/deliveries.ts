import type { Knex } from 'knex';
import { isoTimestamp } from '../../../lib/iso-timestamp.js';
import { runPlanCached, type PlanCachedStatement } from './plan-cached.js';
import type { EventRow, WebhookAttemptRow, DeliveryRow } from '../../../model/rows.js';
import { merchantPage, paginate, type ListQuery, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

export type DeliveryWithEvent = { log: DeliveryRow; event: EventRow; attempts: WebhookAttemptRow[] };

async function attachEvents(db: Db, logs: DeliveryRow[]): Promise<DeliveryWithEvent[]> {
  if (logs.length === 0) return [];
  const ids = logs.map((l) => l.id);
  const [events, attempts] = await Promise.all([
    db<EventRow>('events').whereIn(
      'id',
      logs.map((l) => l.event_id),
    ),
    db<WebhookAttemptRow>('webhook_attempts').whereIn('webhook_log_id', ids).orderBy('attempt_number'),
  ]);
  const eventById = new Map(events.map((e) => [e.id, e]));
  return logs.map((log) => ({
    log,
    event: eventById.get(log.event_id)!,
    attempts: attempts.filter((a) => a.webhook_log_id === log.id),
  }));
}

export async function listDeliveries({
  db,
  status,
  event,
  paymentId,
  ...query
}: ListQuery & { event?: string | undefined; paymentId?: string | undefined }): Promise<Page<DeliveryWithEvent>> {
  if (!paymentId) {
    const page = await merchantPage<DeliveryRow>(db, 'webhook_logs', { ...query, filters: { status, event } });
    return { rows: await attachEvents(db, page.rows), total: page.total };
  }
  // One payment's deliveries: those of its events (index events_merchant_payment_idx).
  const scoped = db('webhook_logs')
    .where('merchant_id', query.merchantId)
    .whereIn('event_id', db('events').select('id').where({ merchant_id: query.merchantId, payment_id: paymentId }));
  if (status) scoped.andWhere('status', status);
  if (event) scoped.andWhere('event', event);
  const page = await paginate(scoped as unknown as Knex.QueryBuilder<DeliveryRow, DeliveryRow[]>, query);
  return { rows: await attachEvents(db, page.rows), total: page.total };
}

export async function findDelivery({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<DeliveryWithEvent | undefined> {
  const log = await db<DeliveryRow>('webhook_logs').where({ id, merchant_id: merchantId }).first();
  return log ? (await attachEvents(db, [log]))[0] : undefined;
}

/** What a worker needs to make one attempt of a delivery it holds the lease on. */
export type DeliveryToAttempt = {
  id: string;
  merchant_id: string;
  event_id: string;
  /** Attempts made before this one (the guard when it is recorded). */
  attempts: number;
  /** The lease this worker holds it by (real time). */
  locked_until: Date;
  event_type: string;
  event_data: Record<string, unknown>;
  /** `JSON.stringify(event_data)`, when made already (a delivery its settlement hands over). */
  event_data_text?: string | undefined;
  event_created_at: Date;
  event_sequence: number;
  webhook_url: string | null;
  webhook_secret: string;
  previous_webhook_secret: string | null;
  previous_webhook_secret_expires_at: Date | null;
  webhook_enabled: boolean;
};

/**
 * Claims the due attempts of these pending deliveries for one worker until `leaseUntil` (real
 * time). An id left out is already delivered or failed, not due yet, or held by another worker:
 * all fine.
 *
 * Due means queued for its attempt (`enqueued_at` set: by its creation, a manual retry or the
 * relay, and cleared when an attempt is recorded), or due on this worker's clock. The job's word
 * is enough: a worker whose test clock lags the relay's by a refresh must not drop the job and
 * leave the delivery marked queued until the relay's stale window runs out.
 */
export async function claimDeliveryAttempts({
  db,
  ids,
  now,
  realNow,
  leaseUntil,
}: {
  db: Db;
  ids: readonly string[];
  now: Date;
  realNow: Date;
  leaseUntil: Date;
}): Promise<DeliveryToAttempt[]> {
  const result = await db.raw<{ rows: DeliveryToAttempt[] }>(
    `WITH claimed AS (
       UPDATE webhook_logs AS w SET locked_until = ?
         FROM unnest(?::text[], ?::text[]) AS v(id, expected_status)
        WHERE w.id = v.id AND w.status = v.expected_status AND (w.enqueued_at IS NOT NULL OR w.next_attempt_at <= ?)
          AND (w.locked_until IS NULL OR w.locked_until < ?)
       RETURNING w.id, w.merchant_id, w.event_id, w.attempts, w.locked_until
     )
     SELECT c.*, e.type AS event_type, e.data AS event_data, e.created_at AS event_created_at, e.sequence AS event_sequence,
            m.webhook_url, m.webhook_secret, m.previous_webhook_secret,
            m.previous_webhook_secret_expires_at, m.webhook_enabled
       FROM claimed c
       JOIN events e ON e.id = c.event_id
       JOIN merchants m ON m.id = c.merchant_id`,
    [leaseUntil, [...ids], ids.map(() => 'pending'), now, realNow],
  );
  return result.rows;
}

export type AttemptRecord = Omit<WebhookAttemptRow, 'id' | 'webhook_log_id' | 'attempt_number'>;

/** One attempt made, and where it leaves its delivery. */
export type AttemptOutcome = {
  id: string;
  /** The attempt count the worker claimed: the guard against moving a delivery on twice. */
  claimedAttempts: number;
  attempt: AttemptRecord;
  next: { status: DeliveryRow['status']; nextAttemptAt: Date | null };
};

/**
 * The statement of {@link recordDeliveryAttempts}. The rows are locked in id order (FOR UPDATE in
 * `cur`), so two batches never deadlock.
 */
export const RECORD_DELIVERY_ATTEMPTS: PlanCachedStatement = {
  name: 'paygate_record_delivery_attempts',
  sql: `WITH v AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb)
         AS v(id text, claimed_status text, claimed_attempts int, status text, next_attempt_at timestamptz, url text,
              attempted_at timestamptz, status_code int, latency_ms int, response_body text, error text, succeeded boolean)
        LIMIT ?
     ),
     cur AS (
       SELECT w.id, (w.status = v.claimed_status AND w.attempts = v.claimed_attempts) AS moves
         FROM webhook_logs w JOIN v ON v.id = w.id
        ORDER BY w.id
          FOR UPDATE OF w
     ),
     counted AS (
       UPDATE webhook_logs AS w
          SET attempts_logged = w.attempts_logged + 1,
              attempts = CASE WHEN cur.moves THEN w.attempts + 1 ELSE w.attempts END,
              status = CASE WHEN cur.moves THEN v.status ELSE w.status END,
              next_attempt_at = CASE WHEN cur.moves THEN v.next_attempt_at ELSE w.next_attempt_at END,
              last_attempt_at = CASE WHEN cur.moves THEN v.attempted_at ELSE w.last_attempt_at END,
              response_code = CASE WHEN cur.moves THEN v.status_code ELSE w.response_code END,
              enqueued_at = CASE WHEN cur.moves THEN NULL ELSE w.enqueued_at END,
              locked_until = CASE WHEN cur.moves THEN NULL ELSE w.locked_until END,
              updated_at = ?
         FROM cur JOIN v ON v.id = cur.id
        WHERE w.id = cur.id
       RETURNING w.id, w.attempts_logged, cur.moves
     ),
     logged AS (
       INSERT INTO webhook_attempts (webhook_log_id, attempt_number, url, attempted_at, status_code, latency_ms, response_body, error, succeeded)
       SELECT counted.id, counted.attempts_logged, v.url, v.attempted_at, v.status_code, v.latency_ms, v.response_body, v.error, v.succeeded
         FROM counted JOIN v ON v.id = counted.id
       RETURNING webhook_log_id
     )
     SELECT counted.id, counted.moves AS moved FROM counted WHERE EXISTS (SELECT 1 FROM logged WHERE logged.webhook_log_id = counted.id)`,
  parameters: ['text', 'int', 'timestamptz'],
  returns: 'id text, moved boolean',
};

/**
 * Logs a batch of attempts and moves their deliveries on, in one statement.
 *
 * Every attempt gets its row: an HTTP request was made, so it is logged, even when the worker
 * lost its lease meanwhile or someone else already moved the delivery on (a duplicate send).
 * Its number comes from the delivery's `attempts_logged` counter, bumped under the row lock, so
 * concurrent attempts of one delivery get distinct numbers. Only an attempt whose claim still
 * holds (the delivery pending, with the attempt count its worker claimed) moves the delivery on,
 * so a duplicate never schedules or settles it twice.
 *
 * @returns the ids whose attempt moved their delivery on.
 */
export async function recordDeliveryAttempts({ db, outcomes, now }: { db: Db; outcomes: readonly AttemptOutcome[]; now: Date }): Promise<string[]> {
  if (outcomes.length === 0) return [];
  const payload = JSON.stringify(
    // Timestamps as text (see isoTimestamp). The spread stays after the new keys: V8 (Node 20)
    // adds a key not in the spread object by a slow path (1–2.5 µs an object), and replaces one
    // that is in it fast.
    outcomes.map(({ id, claimedAttempts, attempt, next }) => ({
      id,
      claimed_status: 'pending',
      claimed_attempts: claimedAttempts,
      status: next.status,
      next_attempt_at: isoTimestamp(next.nextAttemptAt),
      ...attempt,
      attempted_at: isoTimestamp(attempt.attempted_at),
    })),
  );
  const result = await runPlanCached<{ rows: { id: string; moved: boolean }[] }>(db, RECORD_DELIVERY_ATTEMPTS, [payload, outcomes.length, now]);
  return result.rows.filter((r) => r.moved).map((r) => r.id);
}

/**
 * Hands back deliveries this worker claimed but will not attempt (their endpoint stayed busy, or
 * the worker is stopping): the lease and the queued mark go, so the relay queues them again on
 * its next sweep. Guarded by the lease, so a delivery someone else claimed since is left alone.
 */
export async function releaseDeliveries({ db, leases }: { db: Db; leases: ReadonlyArray<{ id: string; lockedUntil: Date }> }): Promise<void> {
  if (leases.length === 0) return;
  await db.raw(
    `UPDATE webhook_logs AS w SET locked_until = NULL, enqueued_at = NULL
       FROM unnest(?::text[], ?::timestamptz[]) AS v(id, locked_until)
      WHERE w.id = v.id AND w.status = 'pending' AND w.locked_until = v.locked_until`,
    [leases.map((l) => l.id), leases.map((l) => l.lockedUntil)],
  );
}

/** Gives up on a delivery without an attempt (no endpoint configured any more). */
export async function failDeliveryWithoutAttempt({ db, id, now }: { db: Db; id: string; now: Date }): Promise<void> {
  await db<DeliveryRow>('webhook_logs')
    .where({ id, status: 'pending' })
    .update({ status: 'failed', next_attempt_at: null, enqueued_at: null, locked_until: null, updated_at: now });
}

/**
 * A manual retry: a failed (or delivered, to replay it) delivery starts a fresh schedule now.
 */
export async function restartDelivery({
  db,
  merchantId,
  id,
  from,
  now,
  realNow,
}: {
  db: Db;
  merchantId: string;
  id: string;
  from: readonly DeliveryRow['status'][];
  now: Date;
  realNow: Date;
}): Promise<DeliveryRow | undefined> {
  const [row] = await db<DeliveryRow>('webhook_logs')
    .where({ id, merchant_id: merchantId })
    .whereIn('status', [...from])
    .update({ status: 'pending', attempts: 0, next_attempt_at: now, enqueued_at: realNow, locked_until: null, updated_at: now })
    .returning('*');
  return row;
}
