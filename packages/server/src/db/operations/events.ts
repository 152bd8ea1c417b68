import type { Knex } from 'knex';
import type { EventRow } from '../tables.js';

type Db = Knex | Knex.Transaction;

/**
 * Writes events and, in the same statement, one pending webhook delivery for each event the
 * merchant's endpoint subscribes to (decided in SQL from the merchants row, so a config change
 * made by another process is seen at once). Run it inside the transaction that made the change.
 * The delivery id mirrors the event id (`evt_X` → `whd_X`): one delivery per event.
 *
 * @returns the ids of the deliveries created; queue them after commit.
 */
export async function recordEvents({ db, events, realNow }: { db: Db; events: readonly EventRow[]; realNow: Date }): Promise<string[]> {
  if (events.length === 0) return [];
  const payload = JSON.stringify(
    events.map((e) => ({ ...e, created_at: e.created_at.toISOString() })),
  );
  const result = await db.raw<{ rows: { id: string }[] }>(
    `WITH ev AS (
       INSERT INTO events (id, merchant_id, type, payment_id, sequence, data, created_at)
       SELECT id, merchant_id, type, payment_id, sequence, data, created_at
         FROM jsonb_to_recordset(?::jsonb)
           AS x(id text, merchant_id text, type text, payment_id text, sequence int, data jsonb, created_at timestamptz)
       RETURNING id, merchant_id, type, created_at
     )
     INSERT INTO webhook_logs (id, merchant_id, event_id, event, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
     SELECT 'whd_' || substr(ev.id, 5), ev.merchant_id, ev.id, ev.type, 'pending', 0, ev.created_at, ?, ev.created_at, ev.created_at
       FROM ev JOIN merchants m ON m.id = ev.merchant_id
      WHERE m.webhook_url IS NOT NULL AND m.webhook_enabled
        AND (m.webhook_events IS NULL OR ev.type = ANY (m.webhook_events))
     RETURNING id`,
    [payload, realNow],
  );
  return result.rows.map((r) => r.id);
}

export async function findEvent({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<EventRow | undefined> {
  return db<EventRow>('events').where({ id, merchant_id: merchantId }).first();
}
