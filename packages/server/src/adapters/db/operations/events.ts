import type { Knex } from 'knex';
import { toCount, type EventRow } from '../../../model/rows.js';
import { jsonWriter } from '../../../lib/json-writer.js';
import { merchantPage, type ListQuery, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

/** A piece of SQL with its bindings, to compose into one statement. */
export type SqlFragment = { sql: string; bindings: Knex.RawBinding[] };

/**
 * Two data-modifying CTEs, `ev` and `wl`: insert the events and, for each event the merchant's
 * endpoint subscribes to, one pending webhook delivery (decided in SQL from the merchants row,
 * so a config change made by another process is seen at once). The delivery id mirrors the
 * event id (`evt_X` → `whd_X`): one delivery per event.
 *
 * The SQL text depends only on the options, never on the events (they travel as one JSON
 * parameter), so a statement built on it can be prepared once per connection.
 *
 * @param options.where  SQL over the event `x`: only matching events are written (they belong
 *   to a change an earlier CTE may or may not have made).
 * @param options.sequence  SQL over `x` for the event's sequence, when an earlier CTE decides it
 *   (the payment's counter is only known inside the statement); default: the event's own.
 * @param options.join  `JOIN … ON …` to `x`, whose tables the other options may read.
 * @param options.id, options.type, options.data  SQL for those columns of the event, when an
 *   earlier CTE decides them (a payment's settlement, whether it lost its order); default: `x`'s.
 * @param options.leaseUntil  the deliveries are created already leased to the caller until then
 *   (real time): a worker that sends them itself needs no separate claim.
 */
export function eventsWithDeliveriesCte(events: readonly EventRow[], realNow: Date, options: EventsCteOptions & { leaseUntil?: Date } = {}): SqlFragment {
  return {
    sql: eventsWithDeliveriesSql({ ...options, leased: options.leaseUntil !== undefined }),
    bindings: eventsWithDeliveriesBindings(events, realNow, options.leaseUntil),
  };
}

/** An event to record; `dataText`, when given, is `JSON.stringify(data)` made already (its webhook's body embeds it too). */
export type EventToRecord = EventRow & { dataText?: string };

/** The parameters of {@link eventsWithDeliveriesSql}, in order: the events as JSON, `realNow` and, when leased, `leaseUntil`. */
export function eventsWithDeliveriesBindings(events: readonly EventToRecord[], realNow: Date, leaseUntil?: Date): Knex.RawBinding[] {
  const payload = `[${events.map(eventText).join(',')}]`;
  return leaseUntil ? [payload, realNow, leaseUntil] : [payload, realNow];
}

/** An event's columns but its data, as the statement reads them. */
const writeEventHead = jsonWriter<Pick<EventRow, 'id' | 'merchant_id' | 'type' | 'payment_id' | 'sequence' | 'created_at'>>({
  id: 'string',
  merchant_id: 'string',
  type: 'string',
  payment_id: 'string?',
  sequence: 'number',
  created_at: 'date',
});

/** An event as the statement reads it: its columns and its data (a compiled writer: see jsonWriter). */
function eventText(e: EventToRecord): string {
  return writeEventHead(e, `,"data":${e.dataText ?? JSON.stringify(e.data)}`);
}

/** What the text of {@link eventsWithDeliveriesCte} depends on (see there). */
type EventsCteOptions = { where?: string; join?: string; id?: string; type?: string; sequence?: string; data?: string };

/**
 * The text of {@link eventsWithDeliveriesCte}'s CTEs alone, for a statement written once: its
 * parameters are the events (JSON), the real time the deliveries are queued at and, when
 * `leased`, the time their lease ends.
 */
export function eventsWithDeliveriesSql(options: EventsCteOptions & { leased: boolean }): string {
  return `ev AS (
       INSERT INTO events (id, merchant_id, type, payment_id, sequence, data, created_at)
       SELECT ${options.id ?? 'x.id'}, x.merchant_id, ${options.type ?? 'x.type'}, x.payment_id, ${options.sequence ?? 'x.sequence'},
              ${options.data ?? 'x.data'}, x.created_at
         FROM jsonb_to_recordset(?::jsonb)
           AS x(id text, merchant_id text, type text, payment_id text, sequence int, data jsonb, created_at timestamptz)
        ${options.join ?? ''}
        ${options.where ? `WHERE ${options.where}` : ''}
       RETURNING id, merchant_id, type, payment_id, created_at
     ),
     wl AS (
       INSERT INTO webhook_logs (id, merchant_id, event_id, event, status, attempts, next_attempt_at, enqueued_at, locked_until, created_at, updated_at)
       SELECT 'whd_' || substr(ev.id, 5), ev.merchant_id, ev.id, ev.type, 'pending', 0, ev.created_at, ?, ${options.leased ? '?::timestamptz' : 'NULL'}, ev.created_at, ev.created_at
         FROM ev JOIN merchants m ON m.id = ev.merchant_id
        WHERE m.webhook_url IS NOT NULL AND m.webhook_enabled
          AND (m.webhook_events IS NULL OR ev.type = ANY (m.webhook_events))
       RETURNING id, event_id, merchant_id, locked_until
     )`;
}

/**
 * Writes events and their webhook deliveries in one statement; run it inside the transaction
 * that made the change.
 *
 * @returns the ids of the deliveries created; queue them after commit.
 */
export async function insertEventsWithDeliveries({ db, events, realNow }: { db: Db; events: readonly EventRow[]; realNow: Date }): Promise<string[]> {
  if (events.length === 0) return [];
  const cte = eventsWithDeliveriesCte(events, realNow);
  const result = await db.raw<{ rows: { id: string }[] }>(`WITH ${cte.sql} SELECT id FROM wl`, cte.bindings);
  return result.rows.map((r) => r.id);
}

export async function findEvent({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<EventRow | undefined> {
  return db<EventRow>('events').where({ id, merchant_id: merchantId }).first();
}

/**
 * A page of the merchant's events, newest first, optionally one type's. One payment's events
 * come newest first by their `sequence`: events recorded together share a timestamp
 * (payment.created and payment.pending), and only the sequence orders them.
 */
export async function listEvents({
  db,
  paymentId,
  type,
  ...page
}: Omit<ListQuery, 'status'> & { paymentId?: string | undefined; type?: string | undefined }): Promise<Page<EventRow>> {
  if (!paymentId) return merchantPage<EventRow>(db, 'events', { ...page, filters: { type } });
  const query = db<EventRow>('events').where({ merchant_id: page.merchantId, payment_id: paymentId });
  if (type) query.andWhere('type', type);
  const [rows, countRow] = await Promise.all([
    query.clone().orderBy('sequence', 'desc').limit(page.limit).offset(page.offset),
    query.clone().count<{ count: number | string }[]>({ count: '*' }).first(),
  ]);
  return { rows, total: toCount(countRow?.count ?? 0) };
}
