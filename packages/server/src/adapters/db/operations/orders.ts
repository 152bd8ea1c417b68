import type { Knex } from 'knex';
import type { OrderRow } from '../../../model/rows.js';
import { jsonWriter } from '../../../lib/json-writer.js';
import { merchantPage, type ListQuery, type Page } from './pagination.js';
import { prepared } from './prepared.js';

type Db = Knex | Knex.Transaction;

/**
 * Inserts orders, one or several, in ONE statement (one round trip, one commit), and resolves
 * with the rows given. One text for every batch size, so PostgreSQL parses and plans it once per
 * connection (an INSERT from a JSON parameter has no plan to go stale; see prepared.ts), where a
 * VALUES list of ten bindings per row was built by knex and planned afresh for each batch. Nothing
 * is returned: the rows are stored as given (no column has a default or a trigger), so parsing
 * them back would only cost the API its CPU.
 */
export async function insertOrders({ db, rows }: { db: Db; rows: readonly OrderRow[] }): Promise<OrderRow[]> {
  await prepared(db, 'insert_orders', 'INSERT INTO orders SELECT * FROM jsonb_populate_recordset(NULL::orders, ?::jsonb)', [ordersJson(rows)]);
  return [...rows];
}

/** `JSON.stringify(rows)`: every column, the timestamps as isoTimestamp's text. */
export function ordersJson(rows: readonly OrderRow[]): string {
  // An arrow, not `map(writeOrderRow)`: a writer's second argument is text to add to the object.
  return `[${rows.map((row) => writeOrderRow(row)).join(',')}]`;
}

/**
 * By a compiled writer (see jsonWriter): `JSON.stringify` of a copy with the dates as text took
 * about 1.5 times as long a row, with its flattening (thirty-eighth sitting, docs/performance.md).
 */
const writeOrderRow = jsonWriter<OrderRow>({
  id: 'string',
  merchant_id: 'string',
  amount: 'number',
  currency: 'string',
  receipt: 'string?',
  notes: 'json',
  status: 'string',
  created_at: 'date',
  updated_at: 'date',
  idempotency_ref: 'string?',
});

export async function insertOrder({ db, row }: { db: Db; row: OrderRow }): Promise<OrderRow> {
  return (await insertOrders({ db, rows: [row] }))[0]!;
}

/** Scoped to the merchant: another merchant's order is simply not found. */
export async function findOrder({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<OrderRow | undefined> {
  // Prepared: it runs before every payment is created.
  const result = await prepared<{ rows: OrderRow[] }>(db, 'find_order', 'SELECT * FROM orders WHERE id = ? AND merchant_id = ?', [id, merchantId]);
  return result.rows[0];
}

/** Several orders, each scoped to its merchant, in one statement; `undefined` where not found. */
export async function findOrders({ db, keys }: { db: Db; keys: ReadonlyArray<{ merchantId: string; id: string }> }): Promise<Array<OrderRow | undefined>> {
  // Unnamed: a cached generic plan for `= ANY` could stay a sequential scan (see prepared.ts).
  const result = await db.raw<{ rows: OrderRow[] }>('SELECT * FROM orders WHERE id = ANY (?::text[])', [keys.map((k) => k.id)]);
  const byId = new Map(result.rows.map((r) => [r.id, r]));
  return keys.map((k) => {
    const row = byId.get(k.id);
    return row?.merchant_id === k.merchantId ? row : undefined;
  });
}

export async function listOrders({ db, status, ...page }: ListQuery): Promise<Page<OrderRow>> {
  return merchantPage<OrderRow>(db, 'orders', { ...page, filters: { status } });
}

/** The order created under an Idempotency-Key record's reference (its recovery point), if any. */
export async function findOrderByIdempotencyRef({ db, merchantId, ref }: { db: Db; merchantId: string; ref: string }): Promise<OrderRow | undefined> {
  return db<OrderRow>('orders').where({ idempotency_ref: ref, merchant_id: merchantId }).first();
}
