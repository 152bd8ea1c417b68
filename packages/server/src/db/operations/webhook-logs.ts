import type { Knex } from 'knex';
import type { EventRow, WebhookAttemptRow, WebhookLogRow } from '../tables.js';
import { paginate, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

export type DeliveryWithEvent = { log: WebhookLogRow; event: EventRow; attempts: WebhookAttemptRow[] };

async function attachEvents(db: Db, logs: WebhookLogRow[]): Promise<DeliveryWithEvent[]> {
  if (logs.length === 0) return [];
  const ids = logs.map((l) => l.id);
  const [events, attempts] = await Promise.all([
    db<EventRow>('events').whereIn('id', logs.map((l) => l.event_id)),
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
  merchantId,
  limit,
  offset,
  status,
}: {
  db: Db;
  merchantId: string;
  limit: number;
  offset: number;
  status?: string | undefined;
}): Promise<Page<DeliveryWithEvent>> {
  const q = db<WebhookLogRow>('webhook_logs').where({ merchant_id: merchantId });
  if (status) q.andWhere({ status: status as WebhookLogRow['status'] });
  const page = await paginate(q, { limit, offset });
  return { rows: await attachEvents(db, page.rows), total: page.total };
}

export async function findDelivery({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<DeliveryWithEvent | undefined> {
  const log = await db<WebhookLogRow>('webhook_logs').where({ id, merchant_id: merchantId }).first();
  return log ? (await attachEvents(db, [log]))[0] : undefined;
}

/** What a worker needs to make one attempt, read in the statement that claims it. */
export type ClaimedDelivery = WebhookLogRow & {
  event_type: string;
  event_data: Record<string, unknown>;
  event_created_at: Date;
  event_sequence: number;
  webhook_url: string | null;
  webhook_secret: string;
  previous_webhook_secret: string | null;
  previous_webhook_secret_expires_at: Date | null;
  webhook_enabled: boolean;
};

/**
 * Claims the due attempt of a pending delivery for one worker until `leaseUntil` (real time).
 * Zero rows: already delivered or failed, not due yet, or another worker holds it — all fine.
 */
export async function claimDeliveryAttempt({
  db,
  id,
  now,
  realNow,
  leaseUntil,
}: {
  db: Db;
  id: string;
  now: Date;
  realNow: Date;
  leaseUntil: Date;
}): Promise<ClaimedDelivery | undefined> {
  const result = await db.raw<{ rows: ClaimedDelivery[] }>(
    `WITH claimed AS (
       UPDATE webhook_logs SET locked_until = ?
        WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?
          AND (locked_until IS NULL OR locked_until < ?)
       RETURNING *
     )
     SELECT c.*, e.type AS event_type, e.data AS event_data, e.created_at AS event_created_at, e.sequence AS event_sequence,
            m.webhook_url, m.webhook_secret, m.previous_webhook_secret,
            m.previous_webhook_secret_expires_at, m.webhook_enabled
       FROM claimed c
       JOIN events e ON e.id = c.event_id
       JOIN merchants m ON m.id = c.merchant_id`,
    [leaseUntil, id, now, realNow],
  );
  return result.rows[0];
}

export type AttemptRecord = Omit<WebhookAttemptRow, 'id' | 'webhook_log_id' | 'attempt_number'>;

/**
 * Logs an attempt and moves the delivery on, in one statement. Guarded by the attempt count the
 * worker claimed, so a duplicate job can never log the same attempt twice.
 */
export async function recordDeliveryAttempt({
  db,
  id,
  claimedAttempts,
  attempt,
  next,
  now,
}: {
  db: Db;
  id: string;
  claimedAttempts: number;
  attempt: AttemptRecord;
  next: { status: WebhookLogRow['status']; nextAttemptAt: Date | null };
  now: Date;
}): Promise<boolean> {
  const result = await db.raw<{ rows: { id: string }[] }>(
    `WITH moved AS (
       UPDATE webhook_logs
          SET attempts = attempts + 1, status = ?, next_attempt_at = ?, last_attempt_at = ?,
              response_code = ?, enqueued_at = NULL, locked_until = NULL, updated_at = ?
        WHERE id = ? AND status = 'pending' AND attempts = ?
       RETURNING id
     )
     INSERT INTO webhook_attempts (webhook_log_id, attempt_number, url, attempted_at, status_code, latency_ms, response_body, error, succeeded)
     SELECT moved.id, (SELECT count(*) + 1 FROM webhook_attempts a WHERE a.webhook_log_id = moved.id),
            ?, ?, ?, ?, ?, ?, ?
       FROM moved
     RETURNING webhook_log_id AS id`,
    [
      next.status,
      next.nextAttemptAt,
      attempt.attempted_at,
      attempt.status_code,
      now,
      id,
      claimedAttempts,
      attempt.url,
      attempt.attempted_at,
      attempt.status_code,
      attempt.latency_ms,
      attempt.response_body,
      attempt.error,
      attempt.succeeded,
    ],
  );
  return result.rows.length > 0;
}

/** Gives up on a delivery without an attempt (no endpoint configured any more). */
export async function failDeliveryWithoutAttempt({ db, id, now }: { db: Db; id: string; now: Date }): Promise<void> {
  await db<WebhookLogRow>('webhook_logs')
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
  from: readonly WebhookLogRow['status'][];
  now: Date;
  realNow: Date;
}): Promise<WebhookLogRow | undefined> {
  const [row] = await db<WebhookLogRow>('webhook_logs')
    .where({ id, merchant_id: merchantId })
    .whereIn('status', [...from])
    .update({ status: 'pending', attempts: 0, next_attempt_at: now, enqueued_at: realNow, locked_until: null, updated_at: now })
    .returning('*');
  return row;
}
