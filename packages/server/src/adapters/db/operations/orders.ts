import type { Knex } from 'knex';
import type { OrderRow } from '../../../model/rows.js';
import { merchantPage, type ListQuery, type Page } from './pagination.js';
import { prepared } from './prepared.js';

type Db = Knex | Knex.Transaction;

export async function insertOrder({ db, row }: { db: Db; row: OrderRow }): Promise<OrderRow> {
  const [inserted] = await db<OrderRow>('orders').insert(row).returning('*');
  return inserted!;
}

/** Several orders in one statement (one round trip, one commit); the rows back in the order given. */
export async function insertOrders({ db, rows }: { db: Db; rows: readonly OrderRow[] }): Promise<OrderRow[]> {
  const inserted = await db<OrderRow>('orders')
    .insert(rows as OrderRow[])
    .returning('*');
  // RETURNING's order is not promised: match by id
  const byId = new Map(inserted.map((r) => [r.id, r]));
  return rows.map((r) => byId.get(r.id)!);
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
