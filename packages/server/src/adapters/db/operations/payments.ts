import type { Knex } from 'knex';
import type { CreatedDelivery, EventRow, PaymentRow } from '../../../model/rows.js';
import type { InsertedPayment } from '../../../ports/payment-store.js';
import { jsonWriter } from '../../../lib/json-writer.js';
import { eventsWithDeliveriesBindings, eventsWithDeliveriesCte, eventsWithDeliveriesSql, type EventToRecord } from './events.js';
import { SHARED_OFFSET_MS } from './due.js';
import { isKeptPlanned, runPlanCached, type PlanCachedStatement } from './plan-cached.js';
import { prepared } from './prepared.js';
import { withCtes } from './with-ctes.js';
import { merchantPage, paginate, type ListQuery, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

/**
 * In ONE statement (atomic without BEGIN/COMMIT, one round trip): inserts the payment if its
 * order is still in one of `orderFrom`, moves the order to `orderTo`, and records the events with
 * their deliveries. Zero rows inserted means the order moved on meanwhile (paid by another payment).
 *
 * @returns whether the payment was inserted, and the delivery ids to queue (or, leased, the deliveries to send).
 */
export async function insertPaymentWithEvents({
  db,
  row,
  rowJson,
  orderFrom,
  orderTo,
  events,
  realNow,
  leaseUntil,
}: {
  db: Db;
  row: PaymentRow;
  /** `JSON.stringify(row)`, when made already. */
  rowJson?: string | undefined;
  orderFrom: readonly string[];
  orderTo: string;
  events: readonly EventRow[];
  realNow: Date;
  /** Create the deliveries leased to the caller until then (real time): the batch statement does it. */
  leaseUntil?: Date | undefined;
}): Promise<InsertedPayment> {
  // Where the batch statement is kept planned, a batch of one costs less than this one planned afresh; this runs where it is not (see plan-cached.ts).
  if (leaseUntil || (await isKeptPlanned(db, INSERT_PAYMENTS)))
    return (await insertPaymentsWithEvents({ db, payments: [{ row, rowJson, events }], orderFrom, orderTo, realNow, leaseUntil }))[0]!;
  const columns = Object.keys(row) as (keyof PaymentRow)[];
  const cte = eventsWithDeliveriesCte(events, realNow, { where: 'EXISTS (SELECT 1 FROM p)' });
  const result = await prepared<{ rows: { inserted: boolean; delivery_ids: string[] | null }[] }>(
    db,
    'insert_payment_with_events',
    `WITH p AS (
       INSERT INTO payments (${columns.join(', ')})
       SELECT ${columns.map(() => '?').join(', ')}
        WHERE EXISTS (SELECT 1 FROM orders WHERE id = ? AND merchant_id = ? AND status = ANY (?::text[]))
       RETURNING id
     ),
     o AS (
       UPDATE orders SET status = ?, updated_at = ?
        WHERE id = ? AND status <> ? AND status = ANY (?::text[]) AND EXISTS (SELECT 1 FROM p)
     ),
     ${cte.sql}
     SELECT EXISTS (SELECT 1 FROM p) AS inserted, (SELECT array_agg(id) FROM wl) AS delivery_ids`,
    [
      ...columns.map((c) => row[c] as Knex.RawBinding),
      row.order_id,
      row.merchant_id,
      [...orderFrom],
      orderTo,
      row.updated_at,
      row.order_id,
      orderTo,
      [...orderFrom],
      ...cte.bindings,
    ],
  );
  const out = result.rows[0]!;
  return { inserted: out.inserted, deliveryIds: out.delivery_ids ?? [] };
}

/**
 * The batch insert of {@link insertPaymentsWithEvents}, run through its function where the
 * database keeps it planned (a generic plan that looks rows up by index, see plan-cached.ts).
 * Run as written, it is planned for each batch (see prepared.ts), and `LIMIT <batch size>` tells
 * the planner how many rows the JSON holds: it assumes 100 for any set-returning function, and for
 * 100 lookups a sequential scan of orders looks cheaper, on every batch, however large.
 *
 * Its rows: one per payment inserted (`payment_id`), then one per delivery created (the caller
 * knows each event's payment), with, when `leased`, what sending it needs from its merchant.
 */
function paymentInsertStatement(leased: boolean): PlanCachedStatement {
  return {
    name: leased ? 'paygate_insert_payments_leased' : 'paygate_insert_payments',
    sql: `WITH v AS (
       SELECT * FROM jsonb_populate_recordset(NULL::payments, ?::jsonb) LIMIT ?
     ),
     p AS (
       INSERT INTO payments
       SELECT v.* FROM v
        WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = v.order_id AND o.merchant_id = v.merchant_id AND o.status = ANY (?::text[]))
       RETURNING id, order_id, updated_at
     ),
     o AS (
       UPDATE orders AS ord SET status = ?, updated_at = p.updated_at
         FROM p
        WHERE ord.id = p.order_id AND ord.status <> ? AND ord.status = ANY (?::text[])
     ),
     ${eventsWithDeliveriesSql({ where: 'x.payment_id IN (SELECT id FROM p)', leased })}
     SELECT p.id, NULL, NULL, NULL, NULL::timestamptz, NULL, NULL, NULL, NULL::timestamptz, NULL::boolean FROM p
     UNION ALL
     ${
       leased
         ? `SELECT NULL, d.id, d.event_id, d.merchant_id, d.locked_until,
                   m.webhook_url, m.webhook_secret, m.previous_webhook_secret, m.previous_webhook_secret_expires_at, m.webhook_enabled
              FROM wl d JOIN merchants m ON m.id = d.merchant_id`
         : 'SELECT NULL, d.id, d.event_id, d.merchant_id, NULL, NULL, NULL, NULL, NULL, NULL FROM wl d'
     }`,
    parameters: ['text', 'int', 'text[]', 'text', 'text', 'text[]', 'text', 'timestamptz', ...(leased ? ['timestamptz'] : [])],
    returns: `payment_id text, delivery_id text, event_id text, merchant_id text, locked_until timestamptz,
              webhook_url text, webhook_secret text, previous_webhook_secret text, previous_webhook_secret_expires_at timestamptz, webhook_enabled boolean`,
  };
}
const INSERT_PAYMENTS = paymentInsertStatement(false);
const INSERT_PAYMENTS_LEASED = paymentInsertStatement(true);

/** A row of the batch insert's result: a payment inserted (`payment_id` set), or a delivery created. */
type InsertedRow = { payment_id: string | null; delivery_id: string | null } & Partial<Omit<CreatedDelivery, 'id'>>;

/** A payment to insert with its events, as {@link insertPaymentsWithEvents} takes it; `rowJson`: `JSON.stringify(row)`, when made already. */
export type NewPayment = { row: PaymentRow; rowJson?: string | undefined; events: readonly EventRow[] };

/**
 * {@link insertPaymentWithEvents} for a batch, in ONE statement: each payment is inserted only
 * if its order is still in one of `orderFrom`, and its events only with it.
 *
 * @param leaseUntil  create the deliveries leased to the caller until then (real time), for it
 *   to send at once: each payment's come back in `leased`, with what sending them needs.
 * @returns per payment, in order: whether it was inserted, and its delivery ids to queue (or, leased, its deliveries).
 */
export async function insertPaymentsWithEvents({
  db,
  payments,
  orderFrom,
  orderTo,
  realNow,
  leaseUntil,
}: {
  db: Db;
  payments: readonly NewPayment[];
  orderFrom: readonly string[];
  orderTo: string;
  realNow: Date;
  leaseUntil?: Date | undefined;
}): Promise<InsertedPayment[]> {
  const events = payments.flatMap((p) => p.events);
  const result = await runPlanCached<{ rows: InsertedRow[] }>(db, leaseUntil ? INSERT_PAYMENTS_LEASED : INSERT_PAYMENTS, [
    `[${payments.map((p) => p.rowJson ?? JSON.stringify(p.row)).join(',')}]`,
    payments.length,
    [...orderFrom],
    orderTo,
    orderTo,
    [...orderFrom],
    ...eventsWithDeliveriesBindings(events, realNow, leaseUntil),
  ]);
  const answer = (inserted: boolean): InsertedPayment => ({ inserted, deliveryIds: [], ...(leaseUntil ? { leased: [] } : {}) });
  const paymentOfEvent = new Map(events.map((e) => [e.id, e.payment_id]));
  const byPayment = new Map<string, InsertedPayment>();
  for (const r of result.rows) if (r.payment_id != null) byPayment.set(r.payment_id, answer(true));
  for (const r of result.rows) {
    if (r.delivery_id == null) continue;
    const of = byPayment.get(paymentOfEvent.get(r.event_id!) ?? '');
    if (!of) continue;
    of.deliveryIds.push(r.delivery_id);
    of.leased?.push({
      id: r.delivery_id,
      merchant_id: r.merchant_id!,
      event_id: r.event_id!,
      locked_until: r.locked_until ?? null,
      webhook_url: r.webhook_url ?? null,
      webhook_secret: r.webhook_secret!,
      previous_webhook_secret: r.previous_webhook_secret ?? null,
      previous_webhook_secret_expires_at: r.previous_webhook_secret_expires_at ?? null,
      webhook_enabled: r.webhook_enabled === true,
    });
  }
  return payments.map((p) => byPayment.get(p.row.id) ?? answer(false));
}

export async function findPayment({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('payments').where({ id, merchant_id: merchantId }).first();
}

/**
 * The payments with these ids (any merchant: for workers), as a worker reads those its jobs did
 * not carry (the settlement judges whether each is due). One alone, the idle case, by a prepared
 * lookup by primary key (planned once per connection, see prepared.ts); several by one statement
 * planned for its batch.
 */
export async function findPaymentsToSettle({ db, ids }: { db: Db; ids: readonly string[] }): Promise<PaymentRow[]> {
  type Read = { rows: PaymentRow[] };
  const result =
    ids.length === 1
      ? await prepared<Read>(db, 'find_payment_to_settle', 'SELECT * FROM payments WHERE id = ?', [ids[0]!])
      : await db.raw<Read>('SELECT * FROM payments WHERE id = ANY (?::text[])', [[...ids]]);
  return result.rows;
}

export type PaymentListFilters = {
  orderId?: string | undefined;
  method?: string | undefined;
  /** Created at or after (inclusive). */
  createdFrom?: Date | undefined;
  /** Created before (exclusive), so consecutive ranges never count a payment twice. */
  createdTo?: Date | undefined;
};

export async function listPayments({
  db,
  status,
  orderId,
  method,
  createdFrom,
  createdTo,
  ...page
}: ListQuery & PaymentListFilters): Promise<Page<PaymentRow>> {
  if (!createdFrom && !createdTo) return merchantPage<PaymentRow>(db, 'payments', { ...page, filters: { status, order_id: orderId, method } });
  const query = db<PaymentRow>('payments').where('merchant_id', page.merchantId);
  for (const [column, value] of Object.entries({ status, order_id: orderId, method })) if (value) query.andWhere(column, value);
  if (createdFrom) query.andWhere('created_at', '>=', createdFrom);
  if (createdTo) query.andWhere('created_at', '<', createdTo);
  return paginate(query as unknown as Knex.QueryBuilder<PaymentRow, PaymentRow[]>, page);
}

/** One payment's settlement, as computed by the worker from the row it read. */
export type Settlement = {
  read: PaymentRow;
  /** The row as the outcome decided at creation leaves it. */
  settled: PaymentRow;
  /** The outcome event for `settled`. */
  eventId: string;
  /**
   * Set for a payment that would succeed and so pay its order. If the order is paid already
   * (another payment of it won), it is settled failed with `orderPaid.lost`'s error instead, and
   * this event is recorded in place of `eventId`.
   */
  lostEventId?: string;
};

/** What the order's move to paid needs: its statuses, and the outcome of a payment that lost it. */
export type OrderPaidRule = {
  from: readonly string[];
  to: string;
  /**
   * The payment's status and error, and its event: of `eventType`, made from the would-be
   * success's event with `paymentFields` replacing those of its `data.payment`.
   */
  lost: { status: string; errorCode: string; errorDescription: string; eventType: string; paymentFields: Record<string, unknown> };
};

// The settlement statement's CTEs, in order (see settlePaymentsWithEvents).
/**
 * The columns of a payment that its settlement and its events are made of, with their SQL types:
 * the statement finds them unchanged in the row before it settles (see `unchanged`).
 */
const READ_COLUMNS = {
  merchant_id: 'text',
  order_id: 'text',
  amount: 'bigint',
  currency: 'text',
  method: 'text',
  vpa: 'text',
  card_network: 'text',
  card_last4: 'text',
  captured: 'boolean',
  amount_refunded: 'bigint',
  decided_status: 'text',
  decided_error_code: 'text',
  decided_error_description: 'text',
  created_at: 'timestamptz',
} as const satisfies Partial<Record<keyof PaymentRow, string>>;
const READ_COLUMN_NAMES = Object.keys(READ_COLUMNS) as Array<keyof typeof READ_COLUMNS>;
/**
 * `v`: the batch's changes, one row per payment, from one JSON parameter (`LIMIT <batch size>`: see
 * prepared.ts): each payment as the worker had it (its id, `read_*` and the read columns) and as settled.
 */
const SETTLEMENT_CHANGES = `v AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb)
         AS v(id text, ${READ_COLUMN_NAMES.map((c) => `${c} ${READ_COLUMNS[c]}`).join(', ')},
              read_status text, read_sequence int, status text, error_code text, error_description text,
              event_sequence int, processed_at timestamptz, updated_at timestamptz, pays_order boolean, event_id text, lost_event_id text)
        LIMIT ?
     )`;
/**
 * `clock`: what "due" is judged by, read once for the statement, as `dueInMsSql` (due.ts) judges
 * it and for the same reason: the database's clock plus the shared offset, not the worker's.
 */
const CLOCK = `clock AS (
       SELECT clock_timestamp() + ${SHARED_OFFSET_MS}
              * interval '1 millisecond' AS now
     )`;
/**
 * `unchanged`: the changes whose payment is as the worker had it, with its due time. The worker's
 * copy may be one its job carried rather than one it read: the database's row decides, so a stale
 * or altered copy settles nothing.
 */
const UNCHANGED = `unchanged AS (
       SELECT v.*, t.process_after
         FROM v JOIN payments t ON t.id = v.id
        WHERE t.status = v.read_status AND t.event_sequence = v.read_sequence
          AND (${READ_COLUMN_NAMES.map((c) => `t.${c}`).join(', ')}) IS NOT DISTINCT FROM (${READ_COLUMN_NAMES.map((c) => `v.${c}`).join(', ')})
     )`;
/** `due`: those of them that are due: what this statement settles. */
const DUE = `due AS (
       SELECT u.* FROM unchanged u, clock WHERE u.process_after <= clock.now
     )`;
/** `won`: the orders this statement pays, each by the payment that won it. */
const ORDERS_WON = `won AS (
       -- One winner per order: the batch offers the earliest made of its would-be successes of
       -- each order, and the order row's lock orders this against every other statement paying it.
       UPDATE orders AS ord SET status = ?, updated_at = c.updated_at
         FROM (SELECT DISTINCT ON (order_id) id, order_id, updated_at FROM due WHERE pays_order ORDER BY order_id, created_at, id) AS c
        WHERE ord.id = c.order_id AND ord.status = ANY (?::text[])
       RETURNING c.id
     )`;
/** `s`: each change, and whether it lost its order to another payment. */
const OUTCOMES = `s AS (
       SELECT due.*, (due.pays_order AND won.id IS NULL) AS lost FROM due LEFT JOIN won ON won.id = due.id
     )`;
/** `p`: the guarded payment updates (a payment another statement changed meanwhile is left out), with the event each gets. */
const PAYMENT_UPDATES = `p AS (
       UPDATE payments AS t
          SET status = CASE WHEN s.lost THEN ? ELSE s.status END,
              error_code = CASE WHEN s.lost THEN ? ELSE s.error_code END,
              error_description = CASE WHEN s.lost THEN ? ELSE s.error_description END,
              event_sequence = s.event_sequence, processed_at = s.processed_at, updated_at = s.updated_at
         FROM s
        WHERE t.id = s.id AND t.status = s.read_status AND t.event_sequence = s.read_sequence
       RETURNING t.id, t.status, CASE WHEN s.lost THEN s.lost_event_id ELSE s.event_id END AS event_id, s.event_id AS outcome_event_id, s.lost
     )`;
/** `lost_event`: the type of a payment's event when it lost its order (`p.lost`), and the fields that change in its snapshot. */
const LOST_EVENT = `lost_event AS (
       SELECT ?::text AS type, ?::jsonb AS payment_fields
     )`;
/**
 * The events of the payments updated (`x`: their would-be outcomes' events, one each): a payment
 * that lost its order gets its own event instead, made from the outcome's.
 */
const SETTLED_EVENTS = {
  join: 'JOIN p ON p.outcome_event_id = x.id CROSS JOIN lost_event',
  id: 'p.event_id',
  type: 'CASE WHEN p.lost THEN lost_event.type ELSE x.type END',
  data: `CASE WHEN p.lost THEN jsonb_set(x.data, '{payment}', (x.data -> 'payment') || lost_event.payment_fields) ELSE x.data END`,
};

/**
 * Settles a batch of payments in ONE statement: for each that is due and unchanged since the
 * worker had it (same status and event_sequence, and the same columns its settlement and events
 * are made of), the guarded update, the order's move to paid on success, and its events with
 * their deliveries. A payment another worker settled first is left out (a harmless duplicate)
 * along with its events; one not yet due, by the database's clock, is left out and returned with
 * how long until it is (a job that came early: queue it again).
 *
 * @remarks One order, one successful payment. A payment succeeds only together with its
 * order's move to paid, in the same statement: the first would-be success of an order in the
 * batch updates the order row; a concurrent statement doing the same waits for that row lock and
 * then finds the order paid. Every payment whose order move did not happen here (another
 * payment of the batch, or of another worker, paid it) is settled `orderPaid.lost` instead, with
 * its `lostEventId` event. The unique index payments_one_success_per_order_idx backs this up.
 *
 * @param sharedOffset  judge "due" by the database's clock plus the shared test-clock offset (test mode).
 * @returns the payments settled here with the status and event each got, the ids of their
 * deliveries (to queue after commit), and the payments left out for not being due yet.
 */
export async function settlePaymentsWithEvents({
  db,
  settlements,
  orderPaid,
  events,
  realNow,
  sharedOffset,
  leaseUntil,
}: {
  db: Db;
  settlements: readonly Settlement[];
  orderPaid: OrderPaidRule;
  /** Each settlement's `eventId` event (an order's loss makes its own from it); only those of the payments settled are written. */
  events: readonly EventToRecord[];
  realNow: Date;
  sharedOffset: boolean;
  /** Create the deliveries leased to the caller until then (real time), for it to send at once. */
  leaseUntil?: Date;
}): Promise<{
  settled: Array<{ id: string; status: string; eventId: string }>;
  deliveries: CreatedDelivery[];
  notDue: Array<{ id: string; dueInMs: number }>;
}> {
  if (settlements.length === 0) return { settled: [], deliveries: [], notDue: [] };
  const { lost } = orderPaid;
  const result = await runPlanCached<{ rows: Array<SettledRow> }>(db, leaseUntil ? SETTLE_PAYMENTS_LEASED : SETTLE_PAYMENTS, [
    settlementChanges(settlements),
    settlements.length,
    sharedOffset,
    orderPaid.to,
    [...orderPaid.from],
    lost.status,
    lost.errorCode,
    lost.errorDescription,
    lost.eventType,
    JSON.stringify(lost.paymentFields),
    ...eventsWithDeliveriesBindings(events, realNow, leaseUntil),
  ]);
  const settled = new Map<string, { id: string; status: string; eventId: string }>();
  const deliveries: CreatedDelivery[] = [];
  const notDue: Array<{ id: string; dueInMs: number }> = [];
  for (const r of result.rows) {
    if (r.due_in_ms != null) {
      notDue.push({ id: r.settled_id, dueInMs: Number(r.due_in_ms) });
      continue;
    }
    settled.set(r.settled_id, { id: r.settled_id, status: r.settled_status!, eventId: r.settled_event_id! });
    if (r.delivery_id == null) continue;
    deliveries.push({
      id: r.delivery_id,
      merchant_id: r.merchant_id!,
      event_id: r.settled_event_id!,
      locked_until: r.locked_until,
      webhook_url: r.webhook_url,
      webhook_secret: r.webhook_secret!,
      previous_webhook_secret: r.previous_webhook_secret,
      previous_webhook_secret_expires_at: r.previous_webhook_secret_expires_at,
      webhook_enabled: r.webhook_enabled === true,
    });
  }
  return { settled: [...settled.values()], deliveries, notDue };
}

/** The statement of {@link settlePaymentsWithEvents}; `leased`: its deliveries are created leased to the caller. */
function settlementStatement(leased: boolean): PlanCachedStatement {
  return {
    name: leased ? 'paygate_settle_payments_leased' : 'paygate_settle_payments',
    sql: `${withCtes([SETTLEMENT_CHANGES, CLOCK, UNCHANGED, DUE, ORDERS_WON, OUTCOMES, PAYMENT_UPDATES, LOST_EVENT, eventsWithDeliveriesSql({ ...SETTLED_EVENTS, leased })])}
     SELECT p.id AS settled_id, p.status AS settled_status, p.event_id AS settled_event_id,
            d.id AS delivery_id, d.merchant_id, d.locked_until,
            m.webhook_url, m.webhook_secret, m.previous_webhook_secret, m.previous_webhook_secret_expires_at, m.webhook_enabled,
            NULL::bigint AS due_in_ms
       FROM p
       -- A payment's delivery is its recorded event's: joined on the event id, which needs no
       -- pass over ev (that join was rescanned for each payment, quadratic in the batch).
       LEFT JOIN wl d ON d.event_id = p.event_id
       LEFT JOIN merchants m ON m.id = d.merchant_id
     UNION ALL
     -- The payments left out for not being due yet, with their wait in milliseconds.
     SELECT u.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ceil(extract(epoch FROM u.process_after - clock.now) * 1000)::bigint
       FROM unchanged u, clock
      WHERE u.process_after > clock.now`,
    parameters: [
      'text',
      'int',
      'boolean',
      'text',
      'text[]',
      'text',
      'text',
      'text',
      'text',
      'jsonb',
      'text',
      'timestamptz',
      ...(leased ? ['timestamptz'] : []),
    ],
    returns: `settled_id text, settled_status text, settled_event_id text, delivery_id text, merchant_id text, locked_until timestamptz,
              webhook_url text, webhook_secret text, previous_webhook_secret text, previous_webhook_secret_expires_at timestamptz, webhook_enabled boolean,
              due_in_ms bigint`,
  };
}
const SETTLE_PAYMENTS = settlementStatement(false);
const SETTLE_PAYMENTS_LEASED = settlementStatement(true);

/** The payment path's statements the database keeps planned (see plan-cached.ts). */
export const PAYMENT_PATH_STATEMENTS: readonly PlanCachedStatement[] = [INSERT_PAYMENTS, INSERT_PAYMENTS_LEASED, SETTLE_PAYMENTS, SETTLE_PAYMENTS_LEASED];

/** A row of the settlement's result: a payment it settled (with its delivery, if any), or one not due yet (`due_in_ms` set). */
type SettledRow = {
  settled_id: string;
  settled_status: string | null;
  settled_event_id: string | null;
  delivery_id: string | null;
  merchant_id: string | null;
  locked_until: Date | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  previous_webhook_secret: string | null;
  previous_webhook_secret_expires_at: Date | null;
  webhook_enabled: boolean | null;
  due_in_ms: string | number | null;
};

/**
 * One payment's entry in the JSON parameter `v` reads: the row as read (the guard) and as settled.
 * One literal: built key by key (a loop over READ_COLUMNS) or with a spread, the object takes
 * V8's slow path (12 µs a payment); the type makes it name every read column.
 */
function settlementChange({ read, settled, eventId, lostEventId }: Settlement) {
  return {
    id: read.id,
    merchant_id: read.merchant_id,
    order_id: read.order_id,
    amount: read.amount,
    currency: read.currency,
    method: read.method,
    vpa: read.vpa,
    card_network: read.card_network,
    card_last4: read.card_last4,
    captured: read.captured,
    amount_refunded: read.amount_refunded,
    decided_status: read.decided_status,
    decided_error_code: read.decided_error_code,
    decided_error_description: read.decided_error_description,
    created_at: read.created_at,
    read_status: read.status,
    read_sequence: read.event_sequence,
    status: settled.status,
    error_code: settled.error_code,
    error_description: settled.error_description,
    event_sequence: settled.event_sequence,
    processed_at: settled.processed_at,
    updated_at: settled.updated_at,
    pays_order: lostEventId !== undefined,
    event_id: eventId,
    lost_event_id: lostEventId ?? null,
  } satisfies Record<keyof typeof READ_COLUMNS, unknown> & Record<string, unknown>;
}

/** {@link settlementChange}'s JSON, by a compiled writer (see jsonWriter): `JSON.stringify` took 2.3–3.2 µs for a row of 25 keys. */
const writeSettlementChange = jsonWriter<ReturnType<typeof settlementChange>>({
  id: 'string',
  merchant_id: 'string',
  order_id: 'string',
  amount: 'number',
  currency: 'string',
  method: 'string',
  vpa: 'string?',
  card_network: 'string?',
  card_last4: 'string?',
  captured: 'boolean',
  amount_refunded: 'number',
  decided_status: 'string',
  decided_error_code: 'string?',
  decided_error_description: 'string?',
  created_at: 'date',
  read_status: 'string',
  read_sequence: 'number',
  status: 'string',
  error_code: 'string?',
  error_description: 'string?',
  event_sequence: 'number',
  processed_at: 'date?',
  updated_at: 'date',
  pays_order: 'boolean',
  event_id: 'string',
  lost_event_id: 'string?',
});

/** The JSON parameter `v` reads: per payment, the row as read (the guard) and as settled. */
function settlementChanges(settlements: readonly Settlement[]): string {
  return `[${settlements.map((s) => writeSettlementChange(settlementChange(s))).join(',')}]`;
}

/** Marks a successful payment captured, once. */
export async function capturePaymentRow({ db, merchantId, id, now }: { db: Db; merchantId: string; id: string; now: Date }): Promise<PaymentRow | undefined> {
  const [row] = await db<PaymentRow>('payments')
    .where({ id, merchant_id: merchantId, status: 'success', captured: false })
    .update({ captured: true, updated_at: now })
    .returning('*');
  return row;
}

/**
 * Reserves `amount` of the payment for a refund with one conditional update, so concurrent
 * refunds can never exceed the payment (the CHECK on amount_refunded backs this up). Also takes
 * the next event sequence number for the refund.created event.
 */
export async function reserveRefundAmount({
  db,
  merchantId,
  id,
  amount,
  now,
}: {
  db: Db;
  merchantId: string;
  id: string;
  amount: number;
  now: Date;
}): Promise<PaymentRow | undefined> {
  const [row] = await db<PaymentRow>('payments')
    .where({ id, merchant_id: merchantId, status: 'success' })
    .andWhereRaw('amount_refunded + ? <= amount', [amount])
    .update({
      amount_refunded: db.raw('amount_refunded + ?', [amount]) as unknown as number,
      event_sequence: db.raw('event_sequence + 1') as unknown as number,
      updated_at: now,
    })
    .returning('*');
  return row;
}

/** The payment created under an Idempotency-Key record's reference (its recovery point), if any. */
export async function findPaymentByIdempotencyRef({ db, merchantId, ref }: { db: Db; merchantId: string; ref: string }): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('payments').where({ idempotency_ref: ref, merchant_id: merchantId }).first();
}
